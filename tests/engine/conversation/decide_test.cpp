#include "engine/conversation/decide.hpp"

#include <gtest/gtest.h>

namespace baton::engine {
namespace {

using state = conversation_state;

const participant customer{"v-1", role::customer, "Carol"};
const participant alice{"alice", role::agent, "Alice"};
const participant bob{"bob", role::agent, "Bob"};
const participant system_actor{"system", role::service, "system"};

class DecideTest : public ::testing::Test {
protected:
  conversation c{"c-1"};
  time_ms now = 1'000;
  config::texts texts;

  std::vector<event> run(decision d) {
    EXPECT_TRUE(d.ok()) << code_name(d.error);
    return commit(c, std::move(d.events), now);
  }

  void start(std::string text = {}) {
    start_request r;
    r.queue = "general";
    r.customer = customer;
    r.first_text = std::move(text);
    run(decide_start(c, r, now));
  }

  void offer_to(const participant& agent, std::string offer) {
    run(decide_offer(c, {{std::move(offer), agent.id}}, offer_kind::new_,
                     now + 20'000));
  }

  void assign(const participant& agent) {
    offer_to(agent, "o-" + agent.id);
    run(decide_claim(c, "o-" + agent.id, agent, agent.name + " joined"));
  }
};

TEST_F(DecideTest, StartQueuesWithWelcomeAndFirstMessage) {
  start_request r;
  r.queue = "general";
  r.customer = customer;
  r.first_text = "Hello";
  r.welcome_text = "Thanks, an agent will be with you shortly.";
  auto events = run(decide_start(c, r, now));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<conversation_created>(events[0].body));
  EXPECT_EQ(std::get<message_posted>(events[1].body).text, "Hello");
  EXPECT_EQ(std::get<conversation_queued>(events[2].body).text, r.welcome_text);
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(c.last_seq(), 3u);
  EXPECT_EQ(c.enqueued_at(), now);
  EXPECT_EQ(c.created_at(), now);
}

TEST_F(DecideTest, BotStartIsHeldByTheBot) {
  start_request r;
  r.queue = "general";
  r.customer = customer;
  r.bot = "helper-bot";
  run(decide_start(c, r, now));
  EXPECT_EQ(c.state(), state::bot);
  EXPECT_EQ(c.bot(), "helper-bot");
}

TEST_F(DecideTest, StartTwiceIsRefused) {
  start();
  start_request r;
  r.queue = "general";
  r.customer = customer;
  EXPECT_EQ(decide_start(c, r, now).error, errc::invalid_state);
}

TEST_F(DecideTest, StartWithoutQueueOrCustomerIsBadRequest) {
  start_request r;
  r.customer = customer;
  EXPECT_EQ(decide_start(c, r, now).error, errc::bad_request);
  r.queue = "general";
  r.customer.id.clear();
  EXPECT_EQ(decide_start(c, r, now).error, errc::bad_request);
}

TEST_F(DecideTest, OfferMovesQueuedToOffered) {
  start();
  offer_to(alice, "o-1");
  EXPECT_EQ(c.state(), state::offered);
  ASSERT_EQ(c.open_offers().size(), 1u);
  EXPECT_EQ(c.offer_expires_at(), now + 20'000);
}

TEST_F(DecideTest, OfferIsRefusedUnlessQueued) {
  start();
  offer_to(alice, "o-1");
  EXPECT_EQ(decide_offer(c, {{"o-2", "bob"}}, offer_kind::new_, 0).error,
            errc::invalid_state);
  EXPECT_EQ(decide_offer(c, {}, offer_kind::new_, 0).error,
            errc::invalid_state);
}

TEST_F(DecideTest, ClaimOfOpenOfferAssignsAndJoins) {
  start();
  offer_to(alice, "o-1");
  auto events = run(decide_claim(c, "o-1", alice, "Alice has joined"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<participant_joined>(events[1].body).text,
            "Alice has joined");
  EXPECT_EQ(c.state(), state::assigned);
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_TRUE(c.open_offers().empty());
}

TEST_F(DecideTest, SecondClaimLosesTheRace) {
  start();
  run(decide_offer(c, {{"o-a", "alice"}, {"o-b", "bob"}}, offer_kind::new_, 0));
  auto events = run(decide_claim(c, "o-a", alice, ""));
  ASSERT_EQ(events.size(), 3u);
  const auto& taken = std::get<offer_ended>(events[0].body);
  EXPECT_EQ(taken.agent, "bob");
  EXPECT_EQ(taken.reason, offer_end::taken);
  EXPECT_EQ(decide_claim(c, "o-b", bob, "").error, errc::conflict);
  EXPECT_EQ(c.assignee(), "alice");
}

TEST_F(DecideTest, ClaimOfEndedOfferIsConflict) {
  start();
  offer_to(alice, "o-1");
  run(decide_offer_end(c, "o-1", offer_end::timeout));
  EXPECT_EQ(c.state(), state::queued);
  EXPECT_EQ(decide_claim(c, "o-1", alice, "").error, errc::conflict);
}

TEST_F(DecideTest, ClaimByAnotherAgentThanOfferedIsConflict) {
  start();
  offer_to(alice, "o-1");
  EXPECT_EQ(decide_claim(c, "o-1", bob, "").error, errc::conflict);
}

TEST_F(DecideTest, ClaimAfterCustomerLeftIsConflict) {
  start();
  offer_to(alice, "o-1");
  auto events = run(decide_close(c, customer, "customer_left", texts));
  // The open offer ends as abandoned in the same decision.
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<offer_ended>(events[0].body).reason, offer_end::abandoned);
  EXPECT_EQ(decide_claim(c, "o-1", alice, "").error, errc::conflict);
}

TEST_F(DecideTest, RingAllStaysOfferedUntilTheLastOfferEnds) {
  start();
  run(decide_offer(c, {{"o-a", "alice"}, {"o-b", "bob"}}, offer_kind::new_, 0));
  run(decide_offer_end(c, "o-a", offer_end::rejected));
  EXPECT_EQ(c.state(), state::offered);
  run(decide_offer_end(c, "o-b", offer_end::rejected));
  EXPECT_EQ(c.state(), state::queued);
}

TEST_F(DecideTest, OfferEndOfUnknownOfferIsConflict) {
  start();
  EXPECT_EQ(decide_offer_end(c, "o-x", offer_end::timeout).error,
            errc::conflict);
}

TEST_F(DecideTest, PickOnlyFromQueued) {
  start();
  run(decide_pick(c, alice, ""));
  EXPECT_EQ(c.assignee(), "alice");
  EXPECT_EQ(decide_pick(c, bob, "").error, errc::conflict);

  conversation other("c-2");
  start_request r;
  r.queue = "general";
  r.customer = customer;
  commit(other, decide_start(other, r, now).events, now);
  commit(other, decide_offer(other, {{"o", "bob"}}, offer_kind::new_, 0).events,
         now);
  EXPECT_EQ(decide_pick(other, alice, "").error, errc::conflict);
}

TEST_F(DecideTest, MessagesFromParticipantsOnly) {
  start();
  assign(alice);
  auto events = run(decide_message(c, customer, "hi", visibility::all, ""));
  EXPECT_EQ(events[0].seq, c.last_seq());
  run(decide_message(c, alice, "hello", visibility::all, ""));
  EXPECT_EQ(decide_message(c, bob, "me too", visibility::all, "").error,
            errc::forbidden);
  EXPECT_EQ(decide_message(c, customer, "", visibility::all, "").error,
            errc::bad_request);
  EXPECT_EQ(decide_message(c, customer, "psst", visibility::agents, "").error,
            errc::forbidden);
}

TEST_F(DecideTest, RepeatedClientMessageIdReturnsOriginalSeq) {
  start();
  auto first = run(decide_message(c, customer, "hi", visibility::all, "m1"));
  auto repeat = decide_message(c, customer, "hi", visibility::all, "m1");
  ASSERT_TRUE(repeat.ok());
  EXPECT_TRUE(repeat.events.empty());
  EXPECT_EQ(repeat.existing_seq, first[0].seq);
}

TEST_F(DecideTest, AnotherSendersClientMessageIdAlikeIsANewMessage) {
  start();
  assign(alice);
  // A widget and a desk that each count their messages from 1.
  auto hers = run(decide_message(c, customer, "hi", visibility::all, "1"));
  auto his = decide_message(c, alice, "hello", visibility::all, "1");
  ASSERT_TRUE(his.ok());
  ASSERT_EQ(his.events.size(), 1u) << "his message is posted";
  auto posted = run(std::move(his));
  EXPECT_GT(posted[0].seq, hers[0].seq);
  EXPECT_EQ(
    decide_message(c, alice, "hello", visibility::all, "1").existing_seq,
    posted[0].seq)
    << "his own repeat is still his first";
}

TEST_F(DecideTest, CloseByParticipantOnlyOnce) {
  start();
  assign(alice);
  EXPECT_EQ(decide_close(c, bob, "", texts).error, errc::forbidden);
  EXPECT_EQ(decide_close(c, system_actor, "", texts).error, errc::forbidden);
  run(decide_close(c, alice, "resolved", texts));
  EXPECT_EQ(c.state(), state::closed);
  EXPECT_TRUE(c.agents().empty());
  EXPECT_EQ(decide_close(c, customer, "", texts).error, errc::invalid_state);
  EXPECT_EQ(decide_message(c, customer, "hello?", visibility::all, "").error,
            errc::invalid_state);
}

TEST_F(DecideTest, NoAgentsClosesAWaitingConversation) {
  start();
  offer_to(alice, "o-1");
  auto events = run(decide_no_agents(c, texts));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<offer_ended>(events[0].body).reason, offer_end::cancelled);
  EXPECT_EQ(std::get<no_agents>(events[1].body).text,
            "No agents were available");
  EXPECT_EQ(c.state(), state::closed);
}

TEST_F(DecideTest, AWaitTooLongClosesWithItsOwnText) {
  start();
  auto events
    = run(decide_no_agents(c, texts, config::text_key::wait_too_long));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<no_agents>(events[0].body).text,
            "All our agents are busy and the wait would be long. Please try "
            "again later.");
  EXPECT_EQ(std::get<conversation_closed>(events[1].body).reason, "no_agents");
}

TEST_F(DecideTest, NoAgentsRefusedOnceAssigned) {
  start();
  assign(alice);
  EXPECT_EQ(decide_no_agents(c, texts).error, errc::invalid_state);
}

TEST_F(DecideTest, ApplyRefusesAGapInTheLog) {
  start();
  event skipped{c.last_seq() + 2, now, no_agents{}};
  EXPECT_THROW(c.apply(skipped), std::logic_error);
}

TEST_F(DecideTest, ReplayingTheLogRebuildsTheSameState) {
  start("Hello");
  assign(alice);
  std::vector<event> log;
  conversation live("c-live");
  start_request r;
  r.queue = "general";
  r.customer = customer;
  for (auto& d : {decide_start(live, r, now)})
    for (auto& e : commit(live, d.events, now))
      log.push_back(e);
  for (auto& e : commit(
         live, decide_offer(live, {{"o", "bob"}}, offer_kind::new_, 5).events,
         now))
    log.push_back(e);
  for (auto& e : commit(live, decide_claim(live, "o", bob, "").events, now))
    log.push_back(e);

  conversation replayed("c-live");
  for (const auto& e : log)
    replayed.apply(e);
  EXPECT_EQ(replayed.state(), live.state());
  EXPECT_EQ(replayed.assignee(), live.assignee());
  EXPECT_EQ(replayed.last_seq(), live.last_seq());
  EXPECT_EQ(replayed.enqueued_at(), live.enqueued_at());
}

} // namespace
} // namespace baton::engine
