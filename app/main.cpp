#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/cli.hpp"
#include "app/log.hpp"
#include "app/server.hpp"
#include "engine/auth/token.hpp"
#include "engine/config/config.hpp"
#include "engine/config/secret_file.hpp"
#include "engine/overloaded.hpp"
#include "engine/storage/store.hpp"
#include "engine/storage/transcript.hpp"

namespace {

using namespace baton;

/// Loads a configuration, printing every problem; nullopt when it is bad.
/// With `make_secret`, a missing `auth.secret_file` is made (a first start).
std::optional<engine::config::config> load(const std::string& path,
                                           bool make_secret = true) {
  auto result = engine::config::load_file(path);
  for (const auto& w : result.warnings)
    spdlog::warn("{}", w.to_string());
  for (const auto& e : result.errors)
    spdlog::error("{}", e.to_string());
  if (!result.value || !make_secret)
    return std::move(result.value);
  if (auto problem = engine::config::resolve_secret_file(*result.value, true);
      !problem.empty()) {
    spdlog::error("{}: {}", path, problem);
    return std::nullopt;
  }
  return std::move(result.value);
}

int print_token(const app::token_command& t) {
  auto role = engine::parse_role(t.role);
  if (!role) {
    spdlog::error("unknown role \"{}\"", t.role);
    return 2;
  }
  if (!engine::is_valid_id(t.user)) {
    spdlog::error("\"{}\" is not a valid user id", t.user);
    return 2;
  }
  auto cfg = load(t.config_path);
  if (!cfg)
    return 1;
  using namespace std::chrono;
  auto now = duration_cast<seconds>(system_clock::now().time_since_epoch());
  std::cout << engine::auth::sign(cfg->auth.secret, *role, t.user,
                                  now.count() + t.ttl_seconds)
            << '\n';
  return 0;
}

/// Reads the conversation from the store the configuration names; the
/// server may be running (SQLite readers do not block its writer).
int export_transcript(const app::export_command& e) {
  auto cfg = load(e.config_path);
  if (!cfg)
    return 1;
  if (cfg->storage.backend == engine::config::storage_backend::memory) {
    spdlog::error("storage.backend is \"memory\": nothing is stored");
    return 1;
  }
  try {
    auto store = engine::storage::open_reader(cfg->storage);
    auto log = store->load(e.conversation);
    if (log.empty()) {
      spdlog::error("no conversation \"{}\" in the store", e.conversation);
      return 1;
    }
    std::cout << engine::storage::transcript_json(e.conversation, log) << '\n';
    return 0;
  } catch (const std::exception& ex) {
    spdlog::error("storage: {}", ex.what());
    return 1;
  }
}

} // namespace

int main(int argc, char** argv) {
  app::init_logging();
  auto parsed = app::parse_command_line({argv + 1, argv + argc});
  if (!parsed.command) {
    std::fprintf(stderr, "baton: %s\n\n%s", parsed.error.c_str(), app::usage());
    return 2;
  }
  return std::visit(
    engine::overloaded{
      [](const app::serve_command& c) {
        auto cfg = load(c.config_path);
        return cfg ? app::serve(*cfg, c.config_path) : 1;
      },
      [](const app::check_config_command& c) {
        if (!load(c.config_path, false))
          return 1;
        std::printf("%s: ok\n", c.config_path.c_str());
        return 0;
      },
      [](const app::token_command& c) { return print_token(c); },
      [](const app::export_command& c) { return export_transcript(c); },
      [](const app::version_command&) {
        std::printf("baton %s\n", BATON_VERSION);
        return 0;
      },
      [](const app::help_command&) {
        std::fputs(app::usage(), stdout);
        return 0;
      },
    },
    *parsed.command);
}
