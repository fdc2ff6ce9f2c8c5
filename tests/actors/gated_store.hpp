#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/storage/memory_store.hpp"

namespace baton::actors::testing {

/// A memory store whose commits can be held (the journal's thread then
/// waits inside `append`) and whose reader can be made to fail.
class gated_store final : public engine::storage::store {
public:
  void append(std::span<const engine::storage::log_entry> batch) override {
    std::unique_lock lock{mutex_};
    if (hold_ && !entered_) {
      entered_ = true;
      entered_signal_.set_value();
    }
    released_.wait(lock, [this] { return !hold_; });
    lock.unlock();
    inner_.append(batch);
  }
  void load_open(const std::function<void(engine::storage::conversation_log&&)>&
                   each) override {
    inner_.load_open(each);
  }
  void
  load_open_in(std::span<const std::uint32_t> shards, std::uint32_t shard_count,
               const std::function<void(engine::storage::conversation_log&&)>&
                 each) override {
    inner_.load_open_in(shards, shard_count, each);
  }
  std::vector<engine::event> load(const std::string& id) override {
    return inner_.load(id);
  }
  std::size_t prune_closed(engine::time_ms before, std::size_t n) override {
    return inner_.prune_closed(before, n);
  }
  std::unique_ptr<engine::storage::log_reader> open_reader() override {
    return std::make_unique<failing_reader>(inner_.open_reader(), fail_reads_);
  }
  std::vector<engine::storage::agent_message>
  agent_messages(const std::string& customer, engine::time_ms from,
                 engine::time_ms to, std::size_t limit) override {
    return inner_.agent_messages(customer, from, to, limit);
  }

  /// The next commit waits until release(); the future is ready once the
  /// journal is inside it.
  std::future<void> hold() {
    std::lock_guard lock{mutex_};
    hold_ = true;
    entered_ = false;
    entered_signal_ = {};
    return entered_signal_.get_future();
  }
  void release() {
    {
      std::lock_guard lock{mutex_};
      hold_ = false;
    }
    released_.notify_all();
  }
  void fail_reads(bool fail) {
    *fail_reads_ = fail;
  }

private:
  class failing_reader final : public engine::storage::log_reader {
  public:
    failing_reader(std::unique_ptr<engine::storage::log_reader> inner,
                   std::shared_ptr<std::atomic<bool>> fail)
      : inner_(std::move(inner)), fail_(std::move(fail)) {
    }
    std::vector<engine::event> load(const std::string& id) override {
      if (*fail_)
        throw engine::storage::store_error("disk I/O error");
      return inner_->load(id);
    }
    std::vector<engine::storage::agent_message>
    agent_messages(const std::string& customer, engine::time_ms from,
                   engine::time_ms to, std::size_t limit) override {
      if (*fail_)
        throw engine::storage::store_error("disk I/O error");
      return inner_->agent_messages(customer, from, to, limit);
    }
    void load_open_in(
      std::span<const std::uint32_t> shards, std::uint32_t shard_count,
      const std::function<void(engine::storage::conversation_log&&)>& each)
      override {
      if (*fail_)
        throw engine::storage::store_error("disk I/O error");
      inner_->load_open_in(shards, shard_count, each);
    }

  private:
    std::unique_ptr<engine::storage::log_reader> inner_;
    std::shared_ptr<std::atomic<bool>> fail_;
  };

  engine::storage::memory_store inner_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool hold_ = false;
  bool entered_ = false;
  std::promise<void> entered_signal_;
  std::shared_ptr<std::atomic<bool>> fail_reads_
    = std::make_shared<std::atomic<bool>>(false);
};

} // namespace baton::actors::testing
