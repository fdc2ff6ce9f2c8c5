#pragma once

#include "routing_fixture.hpp"

#include "actors/metrics.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

/// The centre the workflow suites run in: a push, a ring_all and a pull queue,
/// a topic for reasons, agents with and without each permission, a supervisor
/// and short consent and absence timeouts.
namespace baton::actors::testing {

inline std::string workflow_centre(bool require_consent) {
  std::string consent = require_consent ? "true" : "false";
  return R"(
[routing]
default_queue = "sales"
agent_disconnect_grace_ms = 5000

[transfer]
require_reason = true
require_consent = )"
         + consent + R"(
consent_timeout_ms = 10000
priority_boost = 10

[absence]
direct_response_timeout_ms = 5000
choice_timeout_ms = 60000

[[topics]]
id = "refund"
name = "Refund"

[[queues]]
id = "sales"
name = "Sales"
strategy = "longest_idle"
offer_timeout_ms = 20000
wait_timeout_ms = 300000

[[queues]]
id = "billing"
name = "Billing"
strategy = "ring_all"
offer_timeout_ms = 20000
wait_timeout_ms = 60000

[[queues]]
id = "returns"
name = "Returns"
mode = "pull"

[[agents]]
id = "alice"
name = "Alice"
queues = ["sales"]
capacity = 2
permissions = ["transfer", "conference"]

[[agents]]
id = "bob"
name = "Bob"
queues = ["sales", "billing", "returns"]
capacity = 2
permissions = ["transfer", "conference"]

[[agents]]
id = "carl"
name = "Carl"
queues = ["billing"]
capacity = 1
permissions = ["transfer", "conference"]

[[agents]]
id = "tess"
name = "Tess"
queues = []
permissions = ["takeover"]

[[agents]]
id = "sam"
name = "Sam"
roles = ["supervisor"]
queues = []
permissions = ["supervise", "takeover"]
)";
}

/// Alice (sales, idle longest), Bob (sales and billing) and Carl (billing)
/// logged in and ready; Carol is the customer.
class WorkflowFixture : public RoutingFixture {
protected:
  void start_centre(bool require_consent) {
    boot(workflow_centre(require_consent));
    alice = login("alice");
    // Bob logs in later, so alice is asked first in sales.
    advance(std::chrono::seconds(1));
    bob = login("bob");
    carl = login("carl");
    carol = connect(customer("carol"));
  }

  /// An agent as its session names it: with its configured name.
  caller named(const std::string& agent_id) const {
    const auto* a = cfg->find_agent(agent_id);
    return {agent_id, engine::role::agent, a != nullptr ? a->name : agent_id};
  }

  static caller supervisor() {
    return {"sam", engine::role::supervisor, "Sam"};
  }

  /// The agent accepts the last offer it was given.
  reply accept(const std::string& who, const recorder_ptr& sink) {
    auto offer = sink->last_offer();
    EXPECT_TRUE(offer.has_value()) << who << " has no offer";
    if (!offer)
      return reply::error(engine::errc::internal, "no offer");
    return call(agent(who), accept_offer{offer->offer});
  }

  /// Carol's conversation, assigned to alice.
  std::string routed_to_alice(const std::string& first_text = {}) {
    start_conversation r;
    r.text = first_text;
    auto started = call(customer("carol"), r);
    EXPECT_TRUE(started.ok()) << started.message;
    auto out = accept("alice", alice);
    EXPECT_TRUE(out.ok()) << out.message;
    return started.ok() ? started.as<opened>().conversation : std::string{};
  }

  /// Carol asks for alice by name, who lets the offer run out
  /// (absence.direct_response_timeout_ms): carol has heard `agent.absent`.
  std::string absent_alice() {
    start_conversation r;
    r.agent = "alice";
    auto started = call(customer("carol"), r);
    EXPECT_TRUE(started.ok()) << started.message;
    advance(std::chrono::seconds(5));
    EXPECT_EQ(carol->count<engine::agent_absent>(), 1u);
    return started.ok() ? started.as<opened>().conversation : std::string{};
  }

  /// A transfer or conference as `who` asks for it.
  reply ask(const std::string& who, const std::string& conv,
            engine::offer_kind kind, const std::string& to_queue,
            const std::string& to_agent,
            engine::transfer_mode mode = engine::transfer_mode::cold,
            const std::string& note = {}) {
    request_transfer r;
    r.conversation = conv;
    r.kind = kind;
    r.to_queue = to_queue;
    r.to_agent = to_agent;
    r.topic = "refund";
    r.note = note;
    r.mode = mode;
    return call(named(who), r);
  }

  /// The conversation as its customer lists it.
  std::optional<conversation_summary>
  summary(const std::string& conv, const std::string& who = "carol") {
    list_conversations all;
    for (auto s :
         {engine::conversation_state::queued,
          engine::conversation_state::offered,
          engine::conversation_state::assigned, engine::conversation_state::bot,
          engine::conversation_state::closed}) {
      all.state = s;
      for (auto& c :
           call(customer(who), all).as<conversation_list>().conversations)
        if (c.conversation == conv)
          return c;
    }
    return std::nullopt;
  }

  std::int32_t load_of(const std::string& agent_id) {
    for (const auto& row :
         call(supervisor(), list_agents{}).as<agent_list>().agents)
      if (row.agent == agent_id)
        return row.load;
    ADD_FAILURE() << "no agent " << agent_id;
    return -1;
  }

  std::int64_t transfers(engine::offer_kind kind,
                         engine::transfer_result result) const {
    return service->metrics()
      .transfers[routing_metrics::transfer_slot(kind, result)]
      .get();
  }

  /// What must hold once nothing is in flight: each open conversation of
  /// these customers has one assignee among its agents when assigned, every
  /// agent's load is the number of open conversations it is in, and no sink
  /// got an event, an offer or a revocation twice.
  void expect_consistent(const std::vector<std::string>& customers,
                         const std::vector<recorder_ptr>& sinks) {
    std::map<std::string, std::int32_t> in;
    for (const auto& who : customers) {
      for (const auto& c : call(customer(who), list_conversations{})
                             .as<conversation_list>()
                             .conversations) {
        if (c.state == engine::conversation_state::assigned) {
          EXPECT_FALSE(c.assignee.empty()) << c.conversation;
          EXPECT_NE(std::find(c.agents.begin(), c.agents.end(), c.assignee),
                    c.agents.end())
            << c.conversation << ": the assignee is among its agents";
        }
        std::set<std::string> unique(c.agents.begin(), c.agents.end());
        EXPECT_EQ(unique.size(), c.agents.size()) << c.conversation;
        for (const auto& a : c.agents)
          ++in[a];
      }
    }
    for (const auto& row :
         call(supervisor(), list_agents{}).as<agent_list>().agents)
      EXPECT_EQ(row.load, in[row.agent]) << row.agent << "'s load";
    for (const auto& sink : sinks)
      expect_nothing_twice(*sink);
  }

  static void expect_nothing_twice(const recorder& sink) {
    std::set<std::pair<std::string, std::uint64_t>> events;
    std::set<std::string> offers, revoked;
    for (const auto& n : sink.got) {
      if (const auto* e = std::get_if<engine::event>(&n->body)) {
        EXPECT_TRUE(events.emplace(n->conversation, e->seq).second)
          << n->conversation << " seq " << e->seq << " delivered twice";
      } else if (const auto* o = std::get_if<offer_notice>(&n->body)) {
        EXPECT_TRUE(offers.insert(o->offer).second) << o->offer;
      } else if (const auto* r = std::get_if<offer_revoked_notice>(&n->body)) {
        EXPECT_TRUE(revoked.insert(r->offer).second) << r->offer;
      }
    }
  }

  /// The texts of the toasts a user got.
  static std::vector<std::string> notices(const recorder& sink) {
    std::vector<std::string> out;
    for (const auto& n : sink.all<user_notice>())
      out.push_back(n.text);
    return out;
  }

  recorder_ptr alice, bob, carl, carol;
};

} // namespace baton::actors::testing
