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
/// waits inside `append`), and whose reader can be held, counted and made
/// to fail.
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
    return std::make_unique<failing_reader>(inner_.open_reader(), reads_);
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
    reads_->fail = fail;
  }
  /// The next read waits until release_reads(); the future is ready once
  /// the reader is inside it.
  std::future<void> hold_reads() {
    std::lock_guard lock{reads_->mutex};
    reads_->hold = true;
    reads_->entered = false;
    reads_->entered_signal = {};
    return reads_->entered_signal.get_future();
  }
  void release_reads() {
    {
      std::lock_guard lock{reads_->mutex};
      reads_->hold = false;
    }
    reads_->released.notify_all();
  }
  /// Whole logs the reader loaded so far (pages of rows not counted).
  std::size_t whole_loads() const {
    return reads_->whole_loads;
  }

private:
  /// What the test does to the reader, shared with it.
  struct read_gate {
    std::atomic<bool> fail{false};
    std::atomic<std::size_t> whole_loads{0};
    std::mutex mutex;
    std::condition_variable released;
    bool hold = false;
    bool entered = false;
    std::promise<void> entered_signal;

    /// Waits while reads are held, then fails if reads fail.
    void pass() {
      std::unique_lock lock{mutex};
      if (hold && !entered) {
        entered = true;
        entered_signal.set_value();
      }
      released.wait(lock, [this] { return !hold; });
      if (fail)
        throw engine::storage::store_error("disk I/O error");
    }
  };

  class failing_reader final : public engine::storage::log_reader {
  public:
    failing_reader(std::unique_ptr<engine::storage::log_reader> inner,
                   std::shared_ptr<read_gate> gate)
      : inner_(std::move(inner)), gate_(std::move(gate)) {
    }
    std::vector<engine::event> load(const std::string& id) override {
      gate_->pass();
      ++gate_->whole_loads;
      return inner_->load(id);
    }
    std::vector<engine::event>
    load_rows(const std::string& id,
              const engine::storage::row_range& rows) override {
      gate_->pass();
      return inner_->load_rows(id, rows);
    }
    std::vector<engine::storage::agent_message>
    agent_messages(const std::string& customer, engine::time_ms from,
                   engine::time_ms to, std::size_t limit) override {
      gate_->pass();
      return inner_->agent_messages(customer, from, to, limit);
    }
    void load_open_in(
      std::span<const std::uint32_t> shards, std::uint32_t shard_count,
      const std::function<void(engine::storage::conversation_log&&)>& each)
      override {
      gate_->pass();
      inner_->load_open_in(shards, shard_count, each);
    }

  private:
    std::unique_ptr<engine::storage::log_reader> inner_;
    std::shared_ptr<read_gate> gate_;
  };

  engine::storage::memory_store inner_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool hold_ = false;
  bool entered_ = false;
  std::promise<void> entered_signal_;
  std::shared_ptr<read_gate> reads_ = std::make_shared<read_gate>();
};

} // namespace baton::actors::testing
