#include "tests/engine/storage/backends.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "engine/storage/memory_store.hpp"
#include "engine/storage/sqlite_store.hpp"
#include "tests/engine/storage/postgres_cluster.hpp"

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

class postgres_backend final : public backend {
public:
  postgres_backend() : cluster_(postgres_cluster::shared()) {
  }
  bool available() const override {
    return cluster_ != nullptr && cluster_->running();
  }
  std::string why_unavailable() const override {
    return postgres_cluster::why_unavailable();
  }
  bool persistent() const override {
    return true;
  }
  std::unique_ptr<store> open() override {
    if (database_.empty())
      database_ = cluster_->create_database();
    return cluster_->open(database_);
  }

private:
  postgres_cluster* cluster_;
  std::string database_;
};

} // namespace

std::unique_ptr<backend> make_backend(std::string_view name) {
  if (name == "memory")
    return std::make_unique<memory_backend>();
  if (name == "sqlite")
    return std::make_unique<sqlite_backend>();
  if (name == "postgres")
    return std::make_unique<postgres_backend>();
  throw std::invalid_argument("no backend named " + std::string(name));
}

} // namespace baton::engine::storage::testing
