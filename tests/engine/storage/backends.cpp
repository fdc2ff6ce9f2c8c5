#include "tests/engine/storage/backends.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "engine/storage/memory_store.hpp"
#include "engine/storage/sqlite_store.hpp"

namespace baton::engine::storage::testing {

temp_dir::temp_dir() {
  auto pattern
    = (std::filesystem::temp_directory_path() / "baton-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot make a temporary directory");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

class memory_backend final : public backend {
public:
  bool persistent() const override {
    return false;
  }
  std::unique_ptr<store> open() override {
    return std::make_unique<memory_store>();
  }
};

class sqlite_backend final : public backend {
public:
  bool persistent() const override {
    return true;
  }
  std::unique_ptr<store> open() override {
    return std::make_unique<sqlite_store>(dir_.path() + "/baton.db",
                                          config::durability_mode::fsync);
  }

private:
  temp_dir dir_;
};

} // namespace

std::unique_ptr<backend> make_backend(std::string_view name) {
  if (name == "memory")
    return std::make_unique<memory_backend>();
  if (name == "sqlite")
    return std::make_unique<sqlite_backend>();
  throw std::invalid_argument("no backend named " + std::string(name));
}

} // namespace baton::engine::storage::testing
