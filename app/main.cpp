#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/cli.hpp"
#include "app/log.hpp"
#include "app/server.hpp"
#include "engine/auth/token.hpp"
#include "engine/config/config.hpp"
#include "engine/overloaded.hpp"

namespace {

using namespace baton;

/// Loads a configuration, printing every problem; nullopt when it is bad.
std::optional<engine::config::config> load(const std::string& path) {
  auto result = engine::config::load_file(path);
  for (const auto& w : result.warnings)
    spdlog::warn("{}", w.to_string());
  for (const auto& e : result.errors)
    spdlog::error("{}", e.to_string());
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
        return cfg ? app::serve(*cfg) : 1;
      },
      [](const app::check_config_command& c) {
        if (!load(c.config_path))
          return 1;
        std::printf("%s: ok\n", c.config_path.c_str());
        return 0;
      },
      [](const app::token_command& c) { return print_token(c); },
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
