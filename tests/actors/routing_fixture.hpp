#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "actors/api.hpp"
#include "engine/config/config.hpp"

namespace caf {
class actor_system_config;
} // namespace caf

template <class Config>
class test_coordinator_fixture;

namespace baton::actors::testing {

/// True when T is one of the variant's own alternatives.
template <class T, class... Ts>
constexpr bool is_alternative(std::variant<Ts...>*) {
  return (std::is_same_v<T, Ts> || ...);
}

/// A session's sink that keeps everything it is given.
class recorder : public event_sink {
public:
  void deliver(const notification_ptr& n) override {
    got.push_back(n);
  }
  void reconnect() override {
    ++reconnects;
  }

  /// Notices of type T (offer_notice, offer_revoked_notice...) or
  /// conversation events whose body is T (engine::participant_joined...).
  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    constexpr bool notice
      = is_alternative<T>(static_cast<decltype(notification::body)*>(nullptr));
    for (const auto& n : got) {
      if constexpr (notice) {
        if (const auto* x = std::get_if<T>(&n->body))
          out.push_back(*x);
      } else if (const auto* e = std::get_if<engine::event>(&n->body)) {
        if (const auto* y = std::get_if<T>(&e->body))
          out.push_back(*y);
      }
    }
    return out;
  }

  template <class T>
  std::size_t count() const {
    return all<T>().size();
  }

  std::optional<offer_notice> last_offer() const {
    auto offers = all<offer_notice>();
    if (offers.empty())
      return std::nullopt;
    return offers.back();
  }

  std::vector<notification_ptr> got;
  /// Times the session was told to reconnect.
  int reconnects = 0;
};

using recorder_ptr = std::shared_ptr<recorder>;

/// Collects the one reply a request must get.
struct reply_box {
  std::vector<reply> replies;
  reply_fn fn() {
    return [this](const reply& r) { replies.push_back(r); };
  }
};

/// One queue, sales, and one agent, alice, with two slots.
constexpr auto capacity_two = R"(
[routing]
default_queue = "sales"

[[queues]]
id = "sales"

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 2
)";

/// A routing service on CAF's deterministic test coordinator. Time moves only
/// when a test says so.
class RoutingFixture : public ::testing::Test {
protected:
  RoutingFixture();
  ~RoutingFixture() override;

  /// Starts the service with this configuration (TOML); the `[auth]` secret
  /// is added.
  void boot(const std::string& toml);
  /// Reloads the service with this configuration (TOML, as for boot), then
  /// runs.
  void reload(const std::string& toml);
  /// Reloads without running: to line up a reload with what races it.
  void stage_reload(const std::string& toml);
  /// The actors running in the system: an actor that stops shows here.
  std::size_t running_actors() const;

  /// Delivers every message in flight; fires no timer.
  void run();
  /// Delivers one message in flight, if any: to interleave requests at
  /// every point.
  bool step();
  /// Moves the clock forward, firing what falls due, and delivers nothing
  /// yet: the timers' messages wait in flight.
  void tick(std::chrono::milliseconds by);
  /// Moves the clock forward, firing what falls due, then runs.
  void advance(std::chrono::milliseconds by);

  static caller agent(const std::string& id);
  static caller customer(const std::string& id);

  /// Connects a session of this agent and sets it ready (or not).
  recorder_ptr login(const std::string& agent_id, bool ready = true);
  recorder_ptr connect(const caller& who);
  void disconnect(const caller& who, const recorder_ptr& sink);

  /// Submits without running: to line up requests that race.
  void submit(const caller& who, request r, reply_box& box);
  /// Submits, runs, and returns the one reply.
  reply call(const caller& who, request r);

  /// Starts a conversation as customer `who` and returns its id.
  std::string start(const caller& who, const std::string& queue = {},
                    const std::string& topic = {});

  std::unique_ptr<test_coordinator_fixture<caf::actor_system_config>> fx;
  std::shared_ptr<const engine::config::config> cfg;
  std::unique_ptr<routing_service> service;
};

} // namespace baton::actors::testing
