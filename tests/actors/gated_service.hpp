#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "actors/api.hpp"
#include "actors/scheduler.hpp"
#include "engine/config/config.hpp"
#include "tests/actors/gated_store.hpp"

namespace baton::actors::testing {

/// A routing service on a real actor system of two threads (the journal and
/// the reader on threads of their own), over a gated_store whose commits a
/// test can hold, configured from `toml`.
class GatedServiceTest : public ::testing::Test {
protected:
  explicit GatedServiceTest(const std::string& toml)
    : caf_cfg_(two_threads()),
      system_(caf_cfg_),
      store_(std::make_shared<gated_store>()),
      service_(system_, load(toml), service_options{7, store_}) {
  }
  ~GatedServiceTest() override {
    store_->release();
    store_->release_reads();
    service_.shutdown();
  }

  std::future<reply> ask(const caller& who, request r) {
    auto answer = std::make_shared<std::promise<reply>>();
    auto future = answer->get_future();
    service_.submit(who, std::move(r),
                    [answer](const reply& out) { answer->set_value(out); });
    return future;
  }
  reply call(const caller& who, request r) {
    auto f = ask(who, std::move(r));
    EXPECT_EQ(f.wait_for(std::chrono::seconds{5}), std::future_status::ready);
    return f.get();
  }

  caf::actor_system_config caf_cfg_;
  caf::actor_system system_;
  std::shared_ptr<gated_store> store_;
  routing_service service_;

private:
  static caf::actor_system_config two_threads() {
    caf::actor_system_config cfg;
    configure_scheduler(cfg, 2);
    return cfg;
  }
  static std::shared_ptr<const engine::config::config>
  load(const std::string& toml) {
    auto loaded = engine::config::load_string(
      toml, "test.toml", [](std::string_view) { return std::nullopt; });
    EXPECT_TRUE(loaded.ok());
    return std::make_shared<const engine::config::config>(
      std::move(*loaded.value));
  }
};

} // namespace baton::actors::testing
