#pragma once

#include "engine/conversation/history.hpp"
#include "engine/conversation/workflows.hpp"

#include "tests/engine/config/fixtures.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

/// Shared by the workflow suites: a small contact centre, its people, and a
/// fixture that commits decisions and keeps the log they make.
namespace baton::engine::workflow_testing {

/// Two queues, an open and a restricted topic, agents with and without each
/// permission, a supervisor.
inline constexpr std::string_view centre_toml = R"(
[auth]
secret = "workflow-tests-0123456789abcdef012"

[transfer]
require_reason = true
require_consent = true
priority_boost = 10

[[topics]]
id = "refund"
name = "Refund"

[[topics]]
id = "vip"
name = "VIP care"
restricted = true
queue = "billing"

[[queues]]
id = "general"
name = "General"

[[queues]]
id = "billing"
name = "Billing"
welcome_text = "Billing will be with you shortly."

[[agents]]
id = "alice"
name = "Alice"
queues = ["general"]
permissions = ["transfer", "conference"]

[[agents]]
id = "bob"
name = "Bob"
queues = ["general", "billing"]
topics = ["vip"]
permissions = ["transfer", "conference", "takeover"]

[[agents]]
id = "carl"
name = "Carl"
queues = ["billing"]
permissions = ["takeover"]

[[agents]]
id = "dora"
name = "Dora"
queues = ["general"]
permissions = ["supervise"]

[[agents]]
id = "sam"
name = "Sam"
queues = []
roles = ["supervisor"]
permissions = ["transfer", "takeover"]
)";

inline config::config centre() {
  auto r = config::testing::load(centre_toml);
  EXPECT_TRUE(r.ok()) << ::testing::PrintToString(
    config::testing::messages(r.errors));
  return r.value.value_or(config::config{});
}

inline const participant carol{"v-1", role::customer, "Carol"};
inline const participant dan{"v-2", role::customer, "Dan"};
/// transfer, conference
inline const participant alice{"alice", role::agent, "Alice"};
/// transfer, conference, takeover
inline const participant bob{"bob", role::agent, "Bob"};
/// takeover only: neither transfer nor conference
inline const participant carl{"carl", role::agent, "Carl"};
/// supervise only
inline const participant dora{"dora", role::agent, "Dora"};
/// a supervisor with transfer and takeover
inline const participant sam{"sam", role::supervisor, "Sam"};
inline const participant helper{"helper", role::bot, "helper"};
inline const participant other_bot{"other-bot", role::bot, "other-bot"};
inline const participant system_actor{"system", role::service, "system"};

/// The wire names of events, to assert a decision's events in order.
inline std::vector<std::string> names(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    out.emplace_back(event_name(e.body));
  return out;
}

using lines = std::vector<std::string>;

inline void expect_offer_ended(const event& e, std::string_view offer,
                               std::string_view agent, offer_end reason) {
  ASSERT_TRUE(std::holds_alternative<offer_ended>(e.body)) << e.seq;
  const auto& x = std::get<offer_ended>(e.body);
  EXPECT_EQ(x.offer, offer);
  EXPECT_EQ(x.agent, agent);
  EXPECT_EQ(x.reason, reason);
}

/// Every observable field of a conversation in one line, so two states
/// compare in one assertion and a difference reads plainly.
inline std::string snapshot(const conversation& c) {
  std::ostringstream o;
  o << to_string(c.state()) << '|' << to_string(c.channel()) << '|' << c.queue()
    << '|' << c.topic() << '|' << c.customer().id << ':' << c.customer().name
    << '|' << c.bot() << '|' << c.priority() << '|' << c.created_at() << '|'
    << c.enqueued_at() << '|' << c.content() << '|' << c.direct_agent() << '|'
    << c.awaiting_other() << '|' << c.last_seq() << "|assignee=" << c.assignee()
    << "|agents=";
  for (const auto& a : c.agents())
    o << a.id << ':' << to_string(a.role) << ':' << a.name << ',';
  o << "|offers=";
  for (const auto& t : c.open_offers())
    o << t.offer << ':' << t.agent << ',';
  o << '|' << to_string(c.current_offer_kind()) << '|' << c.offer_expires_at();
  if (const auto& p = c.pending()) {
    const auto& t = p->request;
    o << "|pending=" << t.transfer << ':' << to_string(t.kind) << ':'
      << to_string(t.mode) << ':' << t.from.id << ':' << t.leaving << ':'
      << t.to_queue << ':' << t.to_agent << ':' << t.topic << ':' << t.note
      << ':' << t.needs_consent << ':'
      << (p->at == pending_transfer::stage::routing ? "routing" : "consent")
      << ':' << p->origin_queue;
  }
  return o.str();
}

class WorkflowTest : public ::testing::Test {
protected:
  config::config cfg = centre();
  conversation c{"c-1"};
  time_ms now = 1'000;
  /// Everything committed, in seq order: the conversation's stored log.
  std::vector<event> log;
  /// The state after each event of `log`, for replay checks.
  std::vector<std::string> states;

  /// Commits an accepted decision and returns its events as logged.
  std::vector<event> run(decision d) {
    EXPECT_TRUE(d.ok()) << code_name(d.error);
    // One event at a time, as commit applies them, so the live state after
    // each event can be compared with a replay.
    std::vector<event> events;
    for (auto& body : d.events) {
      auto one = commit(c, {std::move(body)}, now);
      events.push_back(one.front());
      log.push_back(one.front());
      states.push_back(snapshot(c));
    }
    return events;
  }

  /// A fresh conversation and log, for a test that needs another start.
  void reset() {
    c = conversation{"c-1"};
    log.clear();
    states.clear();
    now = 1'000;
  }

  std::string joined(const participant& p) const {
    return cfg.texts.format(config::text_key::participant_joined,
                            {{"name", p.name}});
  }

  /// A customer conversation in `general`, with a first message.
  void start(std::string topic = {}) {
    start_request r;
    r.queue = "general";
    r.topic = std::move(topic);
    r.customer = carol;
    r.first_text = "Hello";
    r.welcome_text = welcome_text(cfg, "general");
    run(decide_start(c, r, now));
  }

  /// A conversation held by the bot `helper`.
  void start_with_bot() {
    start_request r;
    r.queue = "general";
    r.customer = carol;
    r.bot = helper.id;
    r.first_text = "Hi, I am the helper";
    run(decide_start(c, r, now));
  }

  void handoff(std::string queue = "general") {
    run(decide_handoff(c, helper, queue, "refund", "Wants a refund", cfg, now,
                       "Wants a refund"));
  }

  void offer(const participant& agent, std::string id, offer_kind kind) {
    run(decide_offer(c, {{std::move(id), agent.id}}, kind, now + 20'000));
  }

  /// Offered and accepted: `agent` becomes the assignee.
  void assign(const participant& agent) {
    offer(agent, "o-" + agent.id, offer_kind::new_);
    run(decide_claim(c, "o-" + agent.id, agent, joined(agent)));
  }

  transfer_ask ask(const participant& from,
                   offer_kind kind = offer_kind::transfer) {
    transfer_ask r;
    r.transfer = kind == offer_kind::conference ? "k-1" : "t-1";
    r.kind = kind;
    r.from = from;
    r.to_queue = "billing";
    r.topic = kind == offer_kind::conference ? "" : "refund";
    r.note = "Wants a refund of order 42";
    r.content = "Conversation transferred by " + from.name;
    return r;
  }
};

} // namespace baton::engine::workflow_testing
