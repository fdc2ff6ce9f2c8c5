#include "actors/runtime_source.hpp"

namespace baton::actors {

std::uint64_t
runtime_source::stage(std::shared_ptr<const engine::config::config> cfg) {
  std::lock_guard lock{mutex_};
  staged_ = std::move(cfg);
  staged_version_ = ++next_version_;
  return staged_version_;
}

std::shared_ptr<const engine::config::config>
runtime_source::staged(std::uint64_t version) const {
  std::lock_guard lock{mutex_};
  return version == staged_version_ ? staged_ : nullptr;
}

void runtime_source::install(const std::shared_ptr<const runtime>& rt) {
  std::lock_guard lock{mutex_};
  current_ = rt;
}

std::shared_ptr<const runtime> runtime_source::current() const {
  std::lock_guard lock{mutex_};
  return current_.lock();
}

} // namespace baton::actors
