// Every worked example of docs/protocol.md, replayed as it is written against
// `baton` on the shipped configuration (config/baton.toml): each `→` frame is
// sent on its session's socket and each `←` frame must be the next one that
// socket receives, with the same shape. Ids the server makes are bound on
// first sight and must stay the same; times and tokens ("...") are free.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "engine/auth/token.hpp"
#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

namespace fs = std::filesystem;

/// One line of an example: a frame sent or expected, or a close expected.
struct step {
  std::string session;
  enum { send, receive, close } kind;
  std::string text; ///< the JSON, or the close reason
  int code = 0;     ///< the close code
  int line = 0;     ///< in docs/protocol.md, for failure messages
};

/// The replayed blocks of the page, in order: a `<!-- session: NAME -->`
/// line, then a fenced block of `→` / `←` lines; `<!-- then: close CODE
/// "REASON" -->` after a block expects the server to close.
std::vector<step> examples(const fs::path& page) {
  std::ifstream in(page);
  std::vector<step> steps;
  std::string line, session;
  bool in_block = false;
  static const std::regex session_mark(R"(^<!-- session: ([a-z0-9]+) -->$)");
  static const std::regex close_mark(
    R"re(^<!-- then: close (\d+) "(.*)" -->$)re");
  std::smatch m;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block && !session.empty();
      if (!in_block)
        session.clear();
      continue;
    }
    if (std::regex_match(line, m, session_mark)) {
      session = m[1];
    } else if (std::regex_match(line, m, close_mark)) {
      steps.push_back(
        {steps.back().session, step::close, m[2], std::stoi(m[1]), n});
    } else if (in_block && line.rfind("→ ", 0) == 0) {
      steps.push_back({session, step::send, line.substr(4), 0, n});
    } else if (in_block && line.rfind("← ", 0) == 0) {
      steps.push_back({session, step::receive, line.substr(4), 0, n});
    }
  }
  return steps;
}

/// Server-made ids: sessions, visitors, conversations, offers.
bool is_server_id(std::string_view s) {
  static const std::regex id(R"(^[scvo]-[0-9A-Z]{16,}$)");
  return std::regex_match(s.begin(), s.end(), id);
}

/// Numbers that depend on the clock.
bool is_time(std::string_view key) {
  return key == "ts" || key == "expires_at" || key == "created_at"
         || key == "longest_wait_ms";
}

class ProtocolExamplesTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path()
           / ("baton-examples-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "baton.secret") << secret_ << '\n';
    baton_process::options o;
    o.binary = BATON_BINARY;
    o.config_path = std::string(BATON_SOURCE_DIR) + "/config/baton.toml";
    o.env = {"BATON_AUTH_SECRET_FILE=" + (dir_ / "baton.secret").string(),
             "BATON_STORAGE_PATH=" + (dir_ / "baton.db").string()};
    ASSERT_TRUE(server_.start(o)) << server_.error() << "\n" << server_.log();
  }
  void TearDown() override {
    server_.stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  ws_client& socket_of(const std::string& session) {
    auto [it, fresh] = sockets_.try_emplace(session);
    if (fresh) {
      EXPECT_TRUE(it->second.connect(server_.port())) << it->second.error();
    }
    return it->second;
  }

  /// The frame as it goes out: ids the page made up replaced by the
  /// server's, a `hello`'s token signed for its role and user.
  std::string outgoing(const std::string& text) {
    auto frame = json::parse(text).as_object();
    for (auto& [key, value] : frame)
      if (value.is_string())
        if (auto bound = ids_.find(std::string(value.as_string()));
            bound != ids_.end())
          value = bound->second;
    if (str(frame, "type") == "hello" && frame.contains("token")) {
      auto role = engine::parse_role(str(frame, "role"));
      frame["token"]
        = engine::auth::sign(secret_, role.value_or(engine::role::customer),
                             str(frame, "user"), unix_now() + 3600);
    }
    return json::serialize(frame);
  }

  /// Whether `got` has the shape of `want`; `where` says where it differs.
  bool same_shape(const json::value& want, const json::value& got,
                  std::string_view key, std::string& where) {
    if (want.kind() != got.kind()) {
      where = std::string(key) + ": another type";
      return false;
    }
    if (want.is_object()) {
      const auto& w = want.as_object();
      const auto& g = got.as_object();
      for (const auto& [k, v] : g)
        if (!w.contains(k)) {
          where = "unexpected field '" + std::string(k) + "'";
          return false;
        }
      for (const auto& [k, v] : w) {
        if (!g.contains(k)) {
          where = "missing field '" + std::string(k) + "'";
          return false;
        }
        if (!same_shape(v, g.at(k), k, where))
          return false;
      }
      return true;
    }
    if (want.is_array()) {
      const auto& w = want.as_array();
      const auto& g = got.as_array();
      if (w.size() != g.size()) {
        where = std::string(key) + ": " + std::to_string(g.size())
                + " entries, not " + std::to_string(w.size());
        return false;
      }
      for (std::size_t i = 0; i < w.size(); ++i)
        if (!same_shape(w[i], g[i], key, where))
          return false;
      return true;
    }
    if (want.is_string()) {
      std::string w(want.as_string()), g(got.as_string());
      if (w == "...")
        return true;
      if (is_server_id(w)) {
        auto [bound, fresh] = ids_.try_emplace(w, g);
        if (fresh || bound->second == g)
          return true;
        where = std::string(key) + ": the page's " + w + " was "
                + bound->second;
        return false;
      }
      if (w != g)
        where = std::string(key) + ": \"" + g + "\"";
      return w == g;
    }
    if (want.is_int64() || want.is_uint64()) {
      if (is_time(key) || want == got)
        return true;
      where = std::string(key) + ": " + json::serialize(got);
      return false;
    }
    if (want != got)
      where = std::string(key) + ": " + json::serialize(got);
    return want == got;
  }

  static std::int64_t unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch())
      .count();
  }

  std::string secret_ = "examples-secret-0123456789abcdef-0123456789abcdef";
  fs::path dir_;
  baton_process server_;
  std::map<std::string, ws_client> sockets_;
  std::map<std::string, std::string> ids_;
};

TEST_F(ProtocolExamplesTest, EveryWorkedExampleRunsAsWritten) {
  auto steps = examples(fs::path(BATON_SOURCE_DIR) / "docs/protocol.md");
  ASSERT_GT(steps.size(), 40u) << "the page's examples were not found";
  for (const auto& s : steps) {
    SCOPED_TRACE("docs/protocol.md:" + std::to_string(s.line) + " (" + s.session
                 + ")");
    auto& socket = socket_of(s.session);
    if (s.kind == step::send) {
      ASSERT_TRUE(socket.send(outgoing(s.text))) << socket.error();
    } else if (s.kind == step::close) {
      ASSERT_TRUE(socket.wait_closed(reply_timeout));
      EXPECT_EQ(socket.close_code(), s.code);
      EXPECT_EQ(socket.close_reason(), s.text);
    } else {
      auto got = socket.next(reply_timeout);
      ASSERT_TRUE(got) << "nothing came; expected " << s.text;
      std::string where;
      ASSERT_TRUE(same_shape(json::parse(s.text), *got, "frame", where))
        << where << "\n  expected " << s.text << "\n  got      " << dump(*got);
    }
  }
}

} // namespace
} // namespace baton::e2e
