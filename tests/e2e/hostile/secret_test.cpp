// The secret (docs/security.md, "The secret"): no deployment runs with a
// secret anyone knows, and the demo centre starts with one of its own.

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "engine/auth/token.hpp"
#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

namespace fs = std::filesystem;

class HostileSecretTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto base = fs::temp_directory_path() / "baton-secret-e2e-XXXXXX";
    std::string pattern = base.string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    process_.stop();
    fs::remove_all(dir_);
  }

  /// A configuration whose [auth] section is `auth`.
  std::string write_config(const std::string& auth) {
    auto path = (dir_ / "baton.toml").string();
    std::ofstream(path) << "[auth]\n"
                        << auth << "\n[storage]\nbackend = \"memory\"\n";
    return path;
  }

  bool start(const std::string& config) {
    baton_process::options o;
    o.binary = BATON_BINARY;
    o.config_path = config;
    return process_.start(o);
  }

  /// What `baton token` prints for an agent alice.
  static std::string token_for_alice(const std::string& config) {
    auto command = std::string(BATON_BINARY) + " token --config " + config
                   + " --role agent --user alice";
    auto out = command_output(command);
    while (!out.empty() && out.back() == '\n')
      out.pop_back();
    return out;
  }

  fs::path dir_;
  baton_process process_;
};

TEST_F(HostileSecretTest, AnExampleOrShortSecretDoesNotStart) {
  EXPECT_FALSE(start(write_config("secret = \"change-me\"")));
  EXPECT_NE(process_.log().find("example secret"), std::string::npos)
    << process_.log();
  EXPECT_FALSE(start(write_config("secret = \"0123456789abcdef\"")));
  EXPECT_NE(process_.log().find("at least 32"), std::string::npos)
    << process_.log();
}

TEST_F(HostileSecretTest, AFirstStartMakesASecretTokensAreSignedWith) {
  auto secret_file = dir_ / "data" / "baton.secret";
  auto config = write_config("secret_file = \"" + secret_file.string()
                             + "\"\n[[agents]]\nid = \"alice\"");
  ASSERT_TRUE(start(config)) << process_.error() << process_.log();
  struct stat st {};
  ASSERT_EQ(::stat(secret_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto token = token_for_alice(config);
  ASSERT_FALSE(token.empty());
  ws_client alice;
  ASSERT_TRUE(alice.connect(process_.port())) << alice.error();
  auto hello = alice.request({{"type", "hello"},
                              {"id", "h"},
                              {"role", "agent"},
                              {"user", "alice"},
                              {"token", token}});
  EXPECT_TRUE(is_ok(hello)) << dump(hello);
  // A token signed with a known example secret is refused.
  ws_client forger;
  ASSERT_TRUE(forger.connect(process_.port())) << forger.error();
  auto forged = forger.request(
    {{"type", "hello"},
     {"id", "h"},
     {"role", "agent"},
     {"user", "alice"},
     {"token", engine::auth::sign("change-me", engine::role::agent, "alice",
                                  std::time(nullptr) + 3600)}});
  EXPECT_EQ(error_code(forged), "unauthorized") << dump(forged);
}

} // namespace
} // namespace baton::e2e
