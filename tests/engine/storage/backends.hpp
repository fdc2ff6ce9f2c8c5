#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "engine/storage/store.hpp"

/// The stores under test, each in a place of its own that is removed after.
namespace baton::engine::storage::testing {

class backend {
public:
  virtual ~backend() = default;
  /// False when the machine lacks what the backend needs (a database
  /// server); the reason says what.
  virtual bool available() const {
    return true;
  }
  virtual std::string why_unavailable() const {
    return {};
  }
  /// True when a reopened store sees what the last one wrote.
  virtual bool persistent() const = 0;
  /// A store on this backend's data; a second call reopens the same data.
  virtual std::unique_ptr<store> open() = 0;
};

/// "memory", "sqlite" or "postgres".
std::unique_ptr<backend> make_backend(std::string_view name);

/// A case run against the backend its parameter names, on a store of its
/// own; skipped when the machine lacks the backend.
class backend_test : public ::testing::TestWithParam<const char*> {
protected:
  void SetUp() override {
    backend_ = make_backend(GetParam());
    if (!backend_->available())
      GTEST_SKIP() << backend_->why_unavailable();
    store_ = backend_->open();
  }
  void append(std::vector<log_entry> batch) {
    store_->append(batch);
  }

  std::unique_ptr<backend> backend_;
  std::unique_ptr<store> store_;
};

/// Every backend, named in the test's name.
inline auto every_backend() {
  return ::testing::Values("memory", "sqlite", "postgres");
}
inline std::string
backend_name(const ::testing::TestParamInfo<const char*>& info) {
  return info.param;
}

/// A fresh temporary directory, removed with everything in it.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const noexcept {
    return path_;
  }

private:
  std::string path_;
};

} // namespace baton::engine::storage::testing
