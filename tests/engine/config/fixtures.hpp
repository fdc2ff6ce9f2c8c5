#pragma once

#include "engine/config/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

/// Shared by the config suites: an injected environment, one-line loading
/// and readable error lists.
namespace baton::engine::config::testing {

/// An environment holding exactly `vars`, names listed too; the real one
/// never leaks in.
inline environment env_of(std::map<std::string, std::string> vars = {}) {
  auto names = [vars] {
    std::vector<std::string> out;
    for (const auto& [name, value] : vars)
      out.push_back(name);
    return out;
  };
  auto lookup = [vars = std::move(vars)](
                  std::string_view name) -> std::optional<std::string> {
    if (auto i = vars.find(std::string{name}); i != vars.end())
      return i->second;
    return std::nullopt;
  };
  return {lookup, names};
}

inline load_result load(std::string_view text,
                        std::map<std::string, std::string> env = {}) {
  return load_string(text, "baton.toml", env_of(std::move(env)));
}

using lines = std::vector<std::string>;

inline std::vector<std::string> messages(const std::vector<error>& errors) {
  std::vector<std::string> out;
  for (auto& e : errors)
    out.push_back(e.to_string());
  return out;
}

/// The repository root, given by the build so tests run from any cwd.
inline std::filesystem::path repo_root() {
  return std::filesystem::path{BATON_SOURCE_DIR};
}

/// A fresh directory under the system temp dir, removed on destruction.
class temp_dir {
public:
  temp_dir() {
    auto base = std::filesystem::temp_directory_path();
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = base
            / ("baton-" + std::string{info->test_suite_name()} + "-"
               + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const noexcept {
    return path_;
  }

  std::string write(const std::string& name, std::string_view text) const {
    auto file = path_ / name;
    std::ofstream{file} << text;
    return file.string();
  }

private:
  std::filesystem::path path_;
};

} // namespace baton::engine::config::testing
