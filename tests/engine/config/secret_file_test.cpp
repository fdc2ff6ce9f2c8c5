#include "engine/config/secret_file.hpp"

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <gtest/gtest.h>

namespace baton::engine::config {
namespace {

class SecretFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto base = std::filesystem::temp_directory_path() / "baton-secret-XXXXXX";
    std::string pattern = base.string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    cfg_.auth.secret_file = (dir_ / "data" / "baton.secret").string();
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  config cfg_;
};

TEST_F(SecretFileTest, AFirstStartMakesARandomSecretOnlyItsOwnerReads) {
  ASSERT_EQ(resolve_secret_file(cfg_, true), "");
  EXPECT_EQ(cfg_.auth.secret.size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(cfg_.auth.secret_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  // The next start, and `baton token`, read the same one.
  config again;
  again.auth.secret_file = cfg_.auth.secret_file;
  ASSERT_EQ(resolve_secret_file(again, true), "");
  EXPECT_EQ(again.auth.secret, cfg_.auth.secret);
  // Another deployment gets another secret.
  std::filesystem::remove(cfg_.auth.secret_file);
  config other;
  other.auth.secret_file = cfg_.auth.secret_file;
  ASSERT_EQ(resolve_secret_file(other, true), "");
  EXPECT_NE(other.auth.secret, cfg_.auth.secret);
}

TEST_F(SecretFileTest, ASecretSetOtherwiseWins) {
  cfg_.auth.secret = "from-env-0123456789abcdef01234567";
  ASSERT_EQ(resolve_secret_file(cfg_, true), "");
  EXPECT_EQ(cfg_.auth.secret, "from-env-0123456789abcdef01234567");
  EXPECT_FALSE(std::filesystem::exists(cfg_.auth.secret_file));
}

TEST_F(SecretFileTest, AMissingFileWithoutCreateOrAShortOneIsAnError) {
  EXPECT_NE(resolve_secret_file(cfg_, false), "");
  std::filesystem::create_directories(dir_ / "data");
  std::ofstream(cfg_.auth.secret_file) << "short\n";
  EXPECT_NE(resolve_secret_file(cfg_, true).find("fewer than 32"),
            std::string::npos);
  EXPECT_TRUE(cfg_.auth.secret.empty());
}

} // namespace
} // namespace baton::engine::config
