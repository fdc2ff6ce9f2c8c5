// An agent's claims and picks on CAF's deterministic test coordinator, with
// stand-ins for the conversation and the directory that answer late or
// never, as a conversation on a node that died would: the agent asks again
// by id after its patience, holds the slot until an answer comes, and
// counts the conversation once whichever answer comes first.
#include "actors/agent/actor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "actors/agent/messages.hpp"
#include "actors/api.hpp"
#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "actors/timers/actor.hpp"
#include "engine/config/config.hpp"

namespace baton::actors {
namespace {

using namespace std::chrono_literals;
using engine::errc;

constexpr auto roster = R"(
[auth]
secret = "test-secret-0123456789abcdef01234"

[routing]
default_queue = "sales"

[[queues]]
id = "sales"

[[agents]]
id = "alice"
queues = ["sales"]
capacity = 1

[[agents]]
id = "bob"
queues = ["sales"]
capacity = 2
)";

constexpr auto patience = 2s;

/// What the stand-ins were asked, and how many answers they hold back.
struct heard {
  int claims = 0;
  std::vector<to_conversation> asked_again;
  std::size_t held = 0;
};
using heard_ptr = std::shared_ptr<heard>;

using held_answers = std::shared_ptr<std::vector<caf::response_promise>>;

/// Holds back the answer to the request being handled.
caf::delegated<claim_result> hold(caf::event_based_actor* self,
                                  const held_answers& held, heard& log) {
  held->push_back(self->make_response_promise());
  ++log.held;
  return {};
}

/// A claim_result sent to a stand-in is its answer to the latest request
/// it held back.
void answer_latest(const held_answers& held, claim_result& r) {
  held->back().deliver(std::move(r));
  held->pop_back();
}

/// Takes a message it has no handler for and says nothing (CAF's `drop`
/// would send its sender an error, which stops an agent).
caf::result<caf::message> ignore(caf::scheduled_actor*, caf::message_view&) {
  return caf::message{};
}

/// A conversation whose answers never arrive: it takes each claim and
/// keeps the answer until the test gives it.
caf::behavior silent_conversation(caf::event_based_actor* self, heard_ptr log) {
  self->set_default_handler(ignore);
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  return {
    [=](claim&) {
      ++log->claims;
      return hold(self, held, *log);
    },
    [=](claim_result& r) { answer_latest(held, r); },
  };
}

/// A directory that answers every ask asked again with `answer`, and holds
/// back the others (a pick's first ask, or all with no `answer`) as
/// silent_conversation does.
caf::behavior directory_stand_in(caf::event_based_actor* self, heard_ptr log,
                                 std::optional<errc> answer) {
  auto held = std::make_shared<std::vector<caf::response_promise>>();
  return {
    [=](to_conversation& m) -> caf::result<claim_result> {
      auto again = std::visit(
        [](const auto& ask) {
          if constexpr (requires { ask.again; })
            return ask.again;
          else
            return false;
        },
        m.message);
      if (again)
        log->asked_again.push_back(m);
      if (!again || !answer)
        return hold(self, held, *log);
      auto offer = std::holds_alternative<claim>(m.message)
                     ? std::get<claim>(m.message).offer
                     : std::string{};
      return claim_result{m.conversation, {}, offer, *answer};
    },
    [=](claim_result& r) { answer_latest(held, r); },
  };
}

/// Takes whatever a session is sent.
caf::behavior hub_stand_in(caf::event_based_actor* self) {
  self->set_default_handler(ignore);
  return {[](int) {}};
}

caf::behavior parent(caf::event_based_actor*) {
  return {[](int) {}};
}

/// Asks `agent` one api_call and keeps the reply.
caf::behavior client(caf::event_based_actor* self, agent_actor agent,
                     api_call call, std::shared_ptr<std::vector<reply>> out) {
  self->request(agent, caf::infinite, std::move(call)).then([out](reply& r) {
    out->push_back(std::move(r));
  });
  return {[](int) {}};
}

class AgentClaimTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto loaded = engine::config::load_string(
      roster, "test.toml", [](std::string_view) { return std::nullopt; });
    ASSERT_TRUE(loaded.ok());
    cfg_ = std::make_shared<const engine::config::config>(*loaded.value);
    hub_ = spawn(hub_stand_in);
    conversation = spawn(silent_conversation, log);
    fx.sched.run();
  }

  // The stand-ins hold answers and never stop on their own: the actor
  // system waits for every actor at its end.
  void TearDown() override {
    for (const auto& a : spawned_)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    fx.sched.run();
  }

  template <class... Ts>
  caf::actor spawn(Ts&&... xs) {
    auto a = fx.sys.spawn(std::forward<Ts>(xs)...);
    spawned_.push_back(a);
    return a;
  }

  /// Alice (or `name`), connected and ready, with the directory answering
  /// asks asked again with `answer`.
  void start_agent(std::optional<errc> answer, std::string name = "alice") {
    me_ = std::move(name);
    directory = spawn(directory_stand_in, log, answer);
    auto rt = std::make_shared<runtime>();
    rt->cfg = cfg_;
    rt->metrics
      = std::make_shared<routing_metrics>(std::vector<std::string>{"sales"});
    rt->call_patience = patience;
    rt->lease_holds = [lease = lease_] { return *lease; };
    // Spawned from a parent that has not run yet, as a directory spawns
    // them from its own start.
    owner_ = spawn(parent);
    auto* parent = caf::actor_cast<caf::event_based_actor*>(owner_);
    rt->timers = spawn_timers(parent, rt->metrics);
    const auto& agents = cfg_->agents;
    auto entry = std::find_if(agents.begin(), agents.end(),
                              [&](const auto& a) { return a.id == me_; });
    agent = spawn_agent(parent, *entry, rt,
                        caf::actor_cast<directory_actor>(directory), {});
    fx.sched.run();
    ask(attach_session{who(), {caf::actor_cast<session_hub_actor>(hub_), 1}});
    ASSERT_TRUE(
      ask(api_call{who(), set_agent_status{engine::agent_status::ready, {}}})
        .ok());
  }

  caller who() const {
    return {me_, engine::role::agent, me_};
  }

  /// Sends `what` to the agent and returns the replies it got so far (none
  /// while it waits for a conversation).
  std::vector<reply> submit(api_call what) {
    auto out = std::make_shared<std::vector<reply>>();
    replies.push_back(out);
    spawn(client, agent, std::move(what), out);
    fx.sched.run();
    return *out;
  }

  reply ask(attach_session a) {
    auto out = std::make_shared<std::vector<reply>>();
    auto asker = [](caf::event_based_actor* self, agent_actor to,
                    attach_session a,
                    std::shared_ptr<std::vector<reply>> out) -> caf::behavior {
      self->request(to, caf::infinite, std::move(a)).then([out](reply& r) {
        out->push_back(std::move(r));
      });
      return {[](int) {}};
    };
    spawn(asker, agent, std::move(a), out);
    fx.sched.run();
    return out->empty() ? reply::error(errc::internal, "no reply") : out->at(0);
  }

  reply ask(api_call call) {
    auto got = submit(std::move(call));
    return got.empty() ? reply::error(errc::internal, "no reply") : got.at(0);
  }

  /// Offers `conversation` to the agent, as the conversation would.
  void offer(const std::string& offer_id,
             const std::string& conversation_id = "c-1",
             engine::offer_kind kind = engine::offer_kind::new_) {
    offer_notice notice;
    notice.offer = offer_id;
    notice.kind = kind;
    notice.queue = "sales";
    caf::anon_send(agent,
                   reserve{conversation_id,
                           caf::actor_cast<conversation_actor>(conversation),
                           notice});
    fx.sched.run();
  }

  agent_row row() {
    auto out = std::make_shared<agent_row>();
    auto asker = [](caf::event_based_actor* self, agent_actor to,
                    std::shared_ptr<agent_row> out) -> caf::behavior {
      self->request(to, caf::infinite, agent_row_query{})
        .then([out](agent_row& r) { *out = std::move(r); });
      return {[](int) {}};
    };
    spawn(asker, agent, out);
    fx.sched.run();
    return *out;
  }

  void advance(std::chrono::milliseconds by) {
    fx.sched.clock().advance_time(by);
    fx.sched.run();
  }

  test_coordinator_fixture<> fx;
  heard_ptr log = std::make_shared<heard>();
  /// Whether the node's lease holds by its own clock (runtime::lease_holds).
  std::shared_ptr<bool> lease_ = std::make_shared<bool>(true);
  caf::actor conversation;
  caf::actor directory;
  agent_actor agent;
  std::vector<std::shared_ptr<std::vector<reply>>> replies;

private:
  std::shared_ptr<const engine::config::config> cfg_;
  std::string me_;
  caf::actor owner_;
  caf::actor hub_;
  std::vector<caf::actor> spawned_;
};

TEST_F(AgentClaimTest, AClaimWithNoAnswerInTimeIsAskedAgainByIdAndWon) {
  start_agent(errc::ok);
  offer("o-1");
  EXPECT_TRUE(submit(api_call{who(), accept_offer{"o-1"}}).empty());
  EXPECT_EQ(log->claims, 1);
  advance(patience - 1ms);
  EXPECT_TRUE(log->asked_again.empty()) << "not before its patience";
  EXPECT_TRUE(replies.back()->empty());
  advance(1ms);
  ASSERT_EQ(log->asked_again.size(), 1u);
  EXPECT_EQ(log->asked_again[0].conversation, "c-1");
  const auto& again = std::get<claim>(log->asked_again[0].message);
  EXPECT_EQ(again.offer, "o-1");
  EXPECT_TRUE(again.again);
  ASSERT_EQ(replies.back()->size(), 1u);
  const auto* won = std::get_if<opened>(&replies.back()->at(0).body);
  ASSERT_NE(won, nullptr) << replies.back()->at(0).message;
  EXPECT_EQ(won->conversation, "c-1");
  EXPECT_EQ(row().load, 1);
}

// A node frozen past its lease runs its actors for a moment before its
// watchdog stops it; another node may hold the agent by then, and his slots.
TEST_F(AgentClaimTest, PastItsLeaseANodesAgentTakesNoOfferAndClaimsNothing) {
  start_agent(errc::ok, "bob"); // two slots: o-2 would fit
  offer("o-1");
  *lease_ = false;
  auto accepted = ask(api_call{who(), accept_offer{"o-1"}});
  EXPECT_EQ(accepted.code, errc::unavailable) << accepted.message;
  EXPECT_EQ(log->claims, 0) << "nothing asked of the conversation";
  auto picked = ask(api_call{who(), pick_waiting{"c-2"}});
  EXPECT_EQ(picked.code, errc::unavailable) << picked.message;
  offer("o-2", "c-2");
  *lease_ = true;
  auto late = ask(api_call{who(), accept_offer{"o-2"}});
  EXPECT_EQ(late.code, errc::conflict) << "o-2 was never reserved";
  EXPECT_EQ(row().load, 1) << "o-1's slot, held before the lease ran out";
}

TEST_F(AgentClaimTest, PastItsLeaseAClaimOutIsNotAskedAgain) {
  start_agent(errc::ok);
  offer("o-1");
  EXPECT_TRUE(submit(api_call{who(), accept_offer{"o-1"}}).empty());
  *lease_ = false;
  advance(patience);
  EXPECT_TRUE(log->asked_again.empty())
    << "asked again, it could win a conversation on a healthy node";
  *lease_ = true;
  advance(patience);
  EXPECT_EQ(log->asked_again.size(), 1u);
}

// No answer from anyone: the slot stays taken (the first ask may have won)
// and the conversation is asked again each patience, until one answers.
TEST_F(AgentClaimTest, TheSlotStaysHeldUntilAnAnswerComes) {
  start_agent(std::nullopt);
  offer("o-1");
  submit(api_call{who(), accept_offer{"o-1"}});
  advance(patience);
  advance(patience);
  EXPECT_EQ(log->asked_again.size(), 2u);
  EXPECT_TRUE(replies.back()->empty());
  offer("o-2");
  EXPECT_EQ(row().load, 1) << "full: o-2 was refused";
  ASSERT_EQ(log->held, 3u) << "the first ask and the two asked again";
  caf::anon_send(directory, claim_result{"c-1", {}, "o-1", errc::conflict});
  fx.sched.run();
  ASSERT_EQ(replies.back()->size(), 1u);
  EXPECT_EQ(replies.back()->at(0).code, errc::conflict);
  EXPECT_EQ(row().load, 0) << "the answer freed the slot";
  advance(patience);
  EXPECT_EQ(log->asked_again.size(), 2u) << "settled: not asked again";
}

TEST_F(AgentClaimTest, AnAcceptTheConversationCouldNotSettleKeepsTheOffer) {
  start_agent(std::nullopt);
  offer("o-1");
  submit(api_call{who(), accept_offer{"o-1"}});
  // Its storage is behind: the conversation keeps the offer open.
  caf::anon_send(conversation,
                 claim_result{"c-1", {}, "o-1", errc::unavailable});
  fx.sched.run();
  ASSERT_EQ(replies.back()->size(), 1u);
  EXPECT_EQ(replies.back()->at(0).code, errc::unavailable);
  EXPECT_EQ(row().load, 1) << "still hers, and its slot";
  auto asks = log->held;
  EXPECT_TRUE(submit(api_call{who(), accept_offer{"o-1"}}).empty())
    << "accepted again: asked, not refused as gone";
  EXPECT_GT(log->held, asks);
}

TEST_F(AgentClaimTest, ADirectOfferTakesItsSlotOnlyWhileAccepted) {
  start_agent(std::nullopt);
  offer("o-1", "c-1", engine::offer_kind::direct);
  EXPECT_EQ(row().load, 0) << "named, not accepted";
  submit(api_call{who(), accept_offer{"o-1"}});
  EXPECT_EQ(row().load, 1) << "its claim is out";
  offer("o-2", "c-2");
  EXPECT_EQ(row().load, 1) << "capacity 1: the queue's offer was refused";
  caf::anon_send(conversation, claim_result{"c-1", {}, "o-1", errc::conflict});
  fx.sched.run();
  EXPECT_EQ(row().load, 0) << "lost: the slot is free again";
}

TEST_F(AgentClaimTest, APickOfAConversationTheAgentIsInIsRefused) {
  start_agent(errc::ok, "bob");
  offer("o-1");
  submit(api_call{who(), accept_offer{"o-1"}});
  advance(patience);
  ASSERT_EQ(row().load, 1);
  auto again = ask(api_call{who(), pick_waiting{"c-1"}});
  EXPECT_EQ(again.code, errc::invalid_state) << again.message;
  EXPECT_EQ(row().load, 1);
}

TEST_F(AgentClaimTest, APickWithNoAnswerInTimeIsAskedAgain) {
  start_agent(errc::ok);
  EXPECT_TRUE(submit(api_call{who(), pick_waiting{"c-7"}}).empty());
  ASSERT_EQ(log->held, 1u) << "the first ask reached the directory";
  EXPECT_EQ(row().load, 1) << "the pick holds a slot";
  advance(patience);
  ASSERT_EQ(log->asked_again.size(), 1u);
  const auto& again = std::get<pick>(log->asked_again[0].message);
  EXPECT_TRUE(again.again);
  ASSERT_EQ(replies.back()->size(), 1u);
  EXPECT_NE(std::get_if<opened>(&replies.back()->at(0).body), nullptr);
  EXPECT_EQ(row().load, 1);
}

// One timer looks at every claim on its way, and asks again each one that
// has waited for its patience, not those asked since.
TEST_F(AgentClaimTest, EachClaimIsAskedAgainAtItsOwnPatience) {
  start_agent(std::nullopt, "bob");
  offer("o-1", "c-1");
  submit(api_call{who(), accept_offer{"o-1"}});
  advance(1s);
  offer("o-2", "c-2");
  submit(api_call{who(), accept_offer{"o-2"}});
  advance(patience - 1s);
  ASSERT_EQ(log->asked_again.size(), 1u);
  EXPECT_EQ(log->asked_again[0].conversation, "c-1");
  advance(1s);
  ASSERT_EQ(log->asked_again.size(), 2u);
  EXPECT_EQ(log->asked_again[1].conversation, "c-2");
  EXPECT_EQ(row().load, 2);
}

} // namespace
} // namespace baton::actors
