// `baton export` beside a running server (docs/storage.md): it reads, and
// creates nothing, not even at a mistyped path.

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

namespace fs = std::filesystem;

TEST(HostileExportTest, AWrongStorePathIsAnErrorNotANewDatabase) {
  auto base = fs::temp_directory_path() / "baton-export-XXXXXX";
  std::string pattern = base.string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  fs::path dir = pattern;
  auto missing = dir / "no-such-dir" / "baton.db";
  auto config = dir / "baton.toml";
  std::ofstream(config)
    << "[auth]\nsecret = \"export-test-0123456789abcdef0123\"\n"
    << "[storage]\npath = \"" << missing.string() << "\"\n";
  auto command = std::string(BATON_BINARY) + " export --config "
                 + config.string() + " --conversation c-1 2>/dev/null";
  EXPECT_NE(std::system(command.c_str()), 0);
  EXPECT_FALSE(fs::exists(missing));
  EXPECT_FALSE(fs::exists(missing.parent_path()));
  fs::remove_all(dir);
}

} // namespace
} // namespace baton::e2e
