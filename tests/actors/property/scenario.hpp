#pragma once

// One seed of the routing property test: a random configuration, and random
// operations on the routing service whose messages arrive in a random order.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "actors/api.hpp"
#include "engine/config/config.hpp"
#include "engine/conversation/explain.hpp"
#include "tests/actors/property/model.hpp"

namespace caf {
class actor_system_config;
} // namespace caf

template <class Config>
class test_coordinator_fixture;

namespace baton::actors::testing::property {

using rng_t = std::mt19937_64;

/// One seed: its own actor system on the deterministic scheduler, a random
/// configuration, and random operations whose messages are delivered in a
/// random order (each mailbox stays in order, as CAF guarantees).
class seed_run {
public:
  /// `alone`: the seed runs by itself, and a failure shows its configuration
  /// and its whole log.
  seed_run(std::uint64_t seed, bool alone);

  ~seed_run();

  /// The first violation, with the log leading up to it; nothing if none.
  std::optional<std::string> go();

  const tally& counts() const;

private:
  // -- delivery ---------------------------------------------------------------

  /// Delivers one message to a random actor that has mail. Actors are
  /// picked by id, not by place in the queue: offer ids carry wall-clock
  /// time and actors walk maps keyed by them, so the queue's order varies
  /// from run to run while a seed must replay exactly.
  bool deliver_one();

  void deliver_some(int n);

  void settle();

  /// Fires the timers that fall due; their messages wait for delivery.
  void advance(std::chrono::milliseconds by);

  // -- a step -----------------------------------------------------------------

  /// 1-3 operations with some messages delivered between them; then usually
  /// quiet and the checks that need it, else messages left in flight.
  void one_step();

  void random_operation();

  // -- operations -------------------------------------------------------------

  /// Submits `r` for `who`; its sessions hold their events until `done`
  /// has the reply (model::owes_replies).
  void submit(const caller& who, request r, reply_fn done);
  void start();

  /// Agents with a session: only they make requests, as through a gateway.
  std::vector<std::string> present_agents() const;

  /// An offer of a present agent with no request pending; `any` also takes
  /// ones already over, to accept or reject them on purpose.
  std::optional<std::string> some_offer(bool any);

  void accept(bool stale);

  void accept_now(const std::string& id);

  /// Every agent of a round accepts, in random order: one must win.
  void race();

  void reject();

  std::vector<std::string> conversation_ids(bool open_only) const;

  void customer_close();

  void close_as_customer(const std::string& id, bool must_work);

  void agent_close();

  void message();

  void random_status();

  void set_status(const std::string& agent, engine::agent_status s);

  void disconnect();

  void reconnect();

  void open_session(const std::string& agent);

  void random_advance();

  // -- the end ----------------------------------------------------------------

  /// Everyone ready and connected; accept whatever is offered and close
  /// what is won, until every conversation is over or time runs out.
  void finish();

  /// Accepts every open offer and closes every won conversation until there
  /// is nothing left to do before time moves on.
  void take_everything();

  bool all_closed() const;

  // -- replay -----------------------------------------------------------------

  /// The routing story of every conversation an actor still holds, as a
  /// supervisor reads it (conversation.explain).
  void read_stories();

  /// Each story's decisions decided again from their grounds: under this
  /// seed's configuration each must come out as recorded; under one with
  /// the first queue's strategy changed, those that differ are counted.
  void replay_stories();

  // -- reporting --------------------------------------------------------------

  std::string failure() const;

  static caller as_agent(const std::string& id);

  static caller as_customer(const std::string& id);

  std::uint64_t seed_;
  bool alone_;
  rng_t rng_;
  std::string toml_;
  std::vector<std::string> log_;
  std::shared_ptr<const engine::config::config> cfg_;
  std::unique_ptr<model> model_;
  std::unique_ptr<test_coordinator_fixture<caf::actor_system_config>> fx_;
  std::unique_ptr<routing_service> service_;
  std::vector<std::string> agent_ids_;
  std::map<std::string, std::vector<tap_ptr>> sessions_;
  std::string last_agent_ = "a1";
  int customers_ = 0;
  std::vector<std::vector<engine::routing_step>> stories_;
};

} // namespace baton::actors::testing::property
