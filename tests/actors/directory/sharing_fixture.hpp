// Three directories in one process sharing twelve shards, each with a
// session hub of its own, as a node's front has (docs/cluster.md,
// "Directories sharing the shards"): holders_test.cpp and moves_test.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "../routing_fixture.hpp"
#include "actors/api.hpp"
#include "actors/directory/actor.hpp"
#include "actors/directory/messages.hpp"
#include "actors/session/hub.hpp"
#include "actors/session/local_sinks.hpp"
#include "actors/session/messages.hpp"
#include "actors/store/messages.hpp"
#include "engine/cluster/shards.hpp"
#include "engine/conversation/events.hpp"

namespace baton::actors::testing {

using engine::cluster::shard_of;

constexpr std::uint32_t shard_count = 12;
constexpr std::size_t directory_count = 3;

/// Two queues and an agent in each, carl allowed to supervise; a transfer
/// asks no consent and no reason; a conversation left waiting sleeps after
/// 10 s.
constexpr auto two_queues = R"(
[auth]
secret = "test-secret-0123456789abcdef01234"

[routing]
default_queue = "sales"
passivate_after_ms = 10000

[transfer]
require_consent = false
require_reason = false

[[queues]]
id = "sales"

[[queues]]
id = "billing"

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 2

[[agents]]
id = "carl"
queues = ["billing"]
capacity = 2
permissions = ["supervise"]
)";

/// Which directory holds `id`: shard s is directory s mod 3's.
inline std::size_t holder_of(std::string_view id) {
  return shard_of(id, shard_count) % directory_count;
}

/// Any directory but the one holding `id`: where a call has to be passed on.
inline std::size_t not_holder_of(std::string_view id) {
  return (holder_of(id) + 1) % directory_count;
}

/// Every conversation's events as the journal was given them.
using stored_logs = std::map<std::string, std::vector<engine::event>>;

/// Appends a journal holds back, and the syncs waiting for them.
struct held_appends {
  std::vector<journal_append> appends;
  std::vector<caf::typed_response_promise<bool>> syncs;
};

/// A journal that commits at once and keeps the events in memory: closed
/// conversations retire, and a stopped directory's conversations can be
/// recovered by the directories that take its shards over. While
/// `*holding`, appends wait for a flush_timer, as a slow commit does.
inline journal_actor::behavior_type
instant_journal(journal_actor::stateful_pointer<held_appends> self,
                std::shared_ptr<routing_metrics> metrics,
                std::shared_ptr<stored_logs> logs,
                std::shared_ptr<bool> holding) {
  auto commit = [=](journal_append& a) {
    metrics->journal_pending.add(-static_cast<std::int64_t>(a.events.size()));
    auto& log = (*logs)[a.conversation];
    log.insert(log.end(), a.events.begin(), a.events.end());
    self->send(a.from, journal_committed{a.events.back().seq});
  };
  return {
    [=](journal_append& a) {
      if (a.events.empty())
        return;
      if (*holding)
        self->state.appends.push_back(std::move(a));
      else
        commit(a);
    },
    [=](const flush_timer&) {
      for (auto& a : std::exchange(self->state.appends, {}))
        commit(a);
      for (auto& rp : std::exchange(self->state.syncs, {}))
        rp.deliver(true);
    },
    [](const prune_tick&) {},
    [=](const journal_sync&) -> caf::result<bool> {
      if (self->state.appends.empty())
        return true;
      auto rp = self->make_response_promise<bool>();
      self->state.syncs.push_back(rp);
      return rp;
    },
  };
}

/// Whether a log ends open: closed, and nothing after that reopened it.
inline bool open_log(const std::vector<engine::event>& log) {
  bool open = false;
  for (const auto& e : log)
    open = !std::holds_alternative<engine::conversation_closed>(e.body);
  return open;
}

/// The store's reader over what the instant journals kept: one log for a
/// resume, the open conversations of some shards (oldest first) for a
/// directory that took them over. Histories and explanations of what no
/// actor holds are not kept. While `failing`, the open conversations cannot
/// be read.
inline reader_actor::behavior_type
stored_logs_reader(reader_actor::pointer, std::shared_ptr<stored_logs> logs,
                   std::shared_ptr<bool> failing) {
  auto not_kept = [] {
    return reply::error(engine::errc::unavailable, "not kept in this test");
  };
  return {
    [=](const store_read& r) {
      auto i = logs->find(r.conversation);
      return stored_log{true, i == logs->end() ? std::vector<engine::event>{}
                                               : i->second};
    },
    [=](const history_read&) { return not_kept(); },
    [=](const explain_read&) { return not_kept(); },
    [](const agent_messages_read&) {
      return stored_agent_messages{true, {}};
    },
    [=](const open_logs_read& r) {
      if (*failing)
        return open_logs{};
      open_logs out{true, {}};
      for (const auto& [id, log] : *logs)
        if (open_log(log)
            && std::ranges::count(r.shards, shard_of(id, r.shard_count)) > 0)
          out.logs.push_back({id, log});
      std::ranges::sort(out.logs, {},
                        [](const auto& l) { return l.events.front().ts; });
      return out;
    },
  };
}

inline caller agent(const std::string& id) {
  return {id, engine::role::agent, id};
}

inline caller customer(const std::string& id) {
  return {id, engine::role::customer, id};
}

class HoldersTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto loaded = engine::config::load_string(
      two_queues, "test.toml", [](std::string_view) { return std::nullopt; });
    ASSERT_TRUE(loaded.ok());
    cfg_ = std::make_shared<const engine::config::config>(
      std::move(*loaded.value));
    metrics_ = std::make_shared<routing_metrics>(
      std::vector<std::string>{"sales", "billing"});
    if (store_behind_at_)
      behind_metrics_ = std::make_shared<routing_metrics>(
        std::vector<std::string>{"sales", "billing"});
    for (std::size_t d = 0; d < directory_count; ++d) {
      journals_[d] = fx_.sys.spawn(instant_journal, metrics_of(d), logs_,
                                   journal_holds_);
      if (with_reader_)
        readers_[d] = fx_.sys.spawn(stored_logs_reader, logs_, reads_fail_);
    }
    spawn_directories(true);
    if (join_at_start_)
      join();
    spawn_fronts();
    run();
  }

  /// Directory d holds the shards s with s mod 3 = d from its start, or,
  /// not `holding`, none until a table gives them (as a node's does with
  /// cluster.spread).
  void spawn_directories(bool holding) {
    for (std::size_t d = 0; d < directory_count; ++d)
      spawn_directory_at(d, holding);
  }

  void spawn_directory_at(std::size_t d, bool holding) {
    std::vector<std::uint32_t> held;
    for (auto s = static_cast<std::uint32_t>(d); holding && s < shard_count;
         s += directory_count)
      held.push_back(s);
    auto rt = std::make_shared<runtime>();
    rt->cfg = cfg_;
    rt->source = sources_[d] = std::make_shared<runtime_source>();
    rt->seed = 7;
    rt->metrics = metrics_of(d);
    rt->sinks = std::make_shared<local_sinks>(fx_.sys.node());
    rt->journal = journals_[d];
    rt->reader = readers_[d];
    directories_[d] = spawn_directory(fx_.sys, rt, {shard_count, held});
  }

  void spawn_fronts() {
    for (std::size_t d = 0; d < directory_count; ++d)
      spawn_front_at(d);
  }

  void spawn_front_at(std::size_t d) {
    fronts_[d] = spawn_session_hub(
      fx_.sys, directories_[d], std::make_shared<local_sinks>(fx_.sys.node()),
      std::chrono::seconds{0});
  }

  void TearDown() override {
    for (const auto& hub : fronts_)
      caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
    for (const auto& d : directories_)
      caf::anon_send_exit(d, caf::exit_reason::user_shutdown);
    for (const auto& j : journals_)
      caf::anon_send_exit(j, caf::exit_reason::user_shutdown);
    for (const auto& r : readers_)
      if (r)
        caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
    run();
  }

  /// What directory d's node counts: its own at `store_behind_at_`.
  std::shared_ptr<routing_metrics> metrics_of(std::size_t d) const {
    return store_behind_at_ == d ? behind_metrics_ : metrics_;
  }

  /// The store of `store_behind_at_`'s node has more commits waiting than
  /// storage.max_pending_events (`behind`), or no more than before.
  void store_falls_behind(bool behind) {
    auto by = cfg_->storage.max_pending_events + 1;
    behind_metrics_->journal_pending.add(behind ? by : -by);
  }

  /// Each directory is told the table of holders (as of `version`); they
  /// tell each other their queues and agents.
  void join(std::uint64_t version = 1) {
    std::vector<directory_actor> holders;
    for (std::uint32_t s = 0; s < shard_count; ++s)
      holders.push_back(directories_[s % directory_count]);
    tell_table(holders, version, {directories_.begin(), directories_.end()});
    expect_each_runs_once({directories_.begin(), directories_.end()});
  }

  /// What directory `d` runs, as it answers a join with no table.
  directory_roster roster_of(const directory_actor& d) {
    fx_.self->send(d, join_directories{});
    run();
    directory_roster out;
    fx_.self->receive([&](directory_roster& r) { out = std::move(r); });
    return out;
  }

  /// Each queue and agent runs under exactly one of `members`.
  void expect_each_runs_once(const std::vector<directory_actor>& members) {
    std::multiset<std::string> queues;
    std::multiset<std::string> agents;
    for (const auto& d : members) {
      auto r = roster_of(d);
      for (const auto& [id, handle] : r.queues)
        queues.insert(id);
      for (const auto& [id, handle] : r.agents)
        agents.insert(id);
    }
    EXPECT_EQ(queues, (std::multiset<std::string>{"billing", "sales"}));
    EXPECT_EQ(agents, (std::multiset<std::string>{"alice", "carl"}));
  }

  /// `members` are told the table of holders, as of `version`, and answer
  /// with their own queues and agents.
  void tell_table(const std::vector<directory_actor>& holders,
                  std::uint64_t version,
                  const std::vector<directory_actor>& members) {
    for (const auto& d : members)
      fx_.self->send(d, join_directories{holders, version, {}, {}, {}});
    run();
    for (std::size_t d = 0; d < members.size(); ++d)
      fx_.self->receive([](directory_roster&) {});
  }

  void run() {
    fx_.sched.run();
  }

  recorder_ptr connect(std::size_t front, const caller& who) {
    auto sink = std::make_shared<recorder>();
    caf::anon_send(fronts_[front], hub_connect{who, sink, {}});
    run();
    return sink;
  }

  reply call(std::size_t front, const caller& who, request r) {
    reply_box box;
    caf::anon_send(fronts_[front], hub_submit{who, std::move(r), box.fn()});
    run();
    EXPECT_EQ(box.replies.size(), 1u) << "a request gets exactly one reply";
    return box.replies.empty() ? reply::error(engine::errc::internal, "none")
                               : box.replies.front();
  }

  /// `who` writes `text` in `conversation` through `front`: that message,
  /// and no other, is what `listener` has heard.
  ::testing::AssertionResult
  heard_only(const recorder_ptr& listener, std::size_t front, const caller& who,
             const std::string& conversation, const std::string& text) {
    auto sent = call(front, who, send_message{conversation, text, {}});
    if (!sent.ok())
      return ::testing::AssertionFailure() << "not sent: " << sent.message;
    auto seen = listener->all<engine::message_posted>();
    if (seen.size() != 1)
      return ::testing::AssertionFailure() << seen.size() << " messages heard";
    if (seen[0].text != text)
      return ::testing::AssertionFailure() << "heard " << seen[0].text;
    return ::testing::AssertionSuccess();
  }

  /// An agent signed in through `front` and ready.
  recorder_ptr ready(std::size_t front, const std::string& id) {
    auto sink = connect(front, agent(id));
    EXPECT_TRUE(
      call(front, agent(id), set_agent_status{engine::agent_status::ready, {}})
        .ok());
    return sink;
  }

  /// Carol, connected at her holder, starts a conversation: its id.
  std::string carol_waits() {
    carol_ = connect(holder_of(carol_key), customer("carol"));
    auto started = call(holder_of(carol_key), customer("carol"),
                        start_conversation{});
    EXPECT_TRUE(started.ok()) << started.message;
    return started.ok() ? started.as<opened>().conversation : std::string{};
  }

  /// Carol closes `id`, and it retires.
  void closed_and_retired(const std::string& id) {
    ASSERT_TRUE(
      call(holder_of(carol_key), customer("carol"), close_conversation{id, {}})
        .ok());
    fx_.sched.clock().advance_time(std::chrono::minutes{5});
    run();
    ASSERT_EQ(metrics_->conversation_actors.get(), 0) << "retired";
  }

  /// A supervisor: no configured agent, so her inbox is a user inbox.
  const caller sam{"sam", engine::role::supervisor, "Sam"};
  const std::string sam_key = engine::user_key(engine::role::supervisor, "sam");
  const std::string carol_key = engine::user_key(engine::role::customer,
                                                 "carol");

  /// Each directory is told the table before the test (join).
  bool join_at_start_ = true;
  /// Each directory reads what the journals kept (stored_logs_reader).
  bool with_reader_ = false;
  /// The directory whose node's store may fall behind
  /// (store_falls_behind), counting in `behind_metrics_`.
  std::optional<std::size_t> store_behind_at_;
  std::shared_ptr<routing_metrics> behind_metrics_;
  test_coordinator_fixture<> fx_;
  recorder_ptr carol_;
  std::shared_ptr<const engine::config::config> cfg_;
  /// All three directories count here.
  std::shared_ptr<routing_metrics> metrics_;
  /// All three journals store here.
  std::shared_ptr<stored_logs> logs_ = std::make_shared<stored_logs>();
  /// The journals hold appends back while it is set, until a flush_timer.
  std::shared_ptr<bool> journal_holds_ = std::make_shared<bool>(false);
  /// The readers cannot read the open conversations while it is set.
  std::shared_ptr<bool> reads_fail_ = std::make_shared<bool>(false);
  std::array<directory_actor, directory_count> directories_;
  /// Where each directory reads a reload.
  std::array<std::shared_ptr<runtime_source>, directory_count> sources_;
  std::array<journal_actor, directory_count> journals_;
  std::array<reader_actor, directory_count> readers_;
  /// Where each party comes in: a hub of the directory of the same number.
  std::array<session_hub_actor, directory_count> fronts_;
};

} // namespace baton::actors::testing
