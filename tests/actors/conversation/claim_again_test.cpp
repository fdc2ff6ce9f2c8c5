// A claim or pick asked again, by an agent whose first ask got no answer in
// time (tests/actors/agent/claims_test.cpp): through the directory by id,
// the conversation tells an agent already in it that it won, and any other
// that it lost, without deciding anew.
#include <memory>
#include <optional>
#include <string>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "actors/conversation/messages.hpp"
#include "actors/directory/messages.hpp"
#include "tests/actors/routing_fixture.hpp"

namespace baton::actors::testing {
namespace {

using engine::errc;

const engine::participant alice_in{"alice", engine::role::agent, "alice"};

class ClaimAgainTest : public RoutingFixture {
protected:
  /// Asks the directory for conversation `id` on alice's behalf, as her
  /// agent actor would, and returns the answer's code.
  std::optional<errc> ask(const std::string& id,
                          decltype(to_conversation::message) what) {
    auto answer = answer_to(id, std::move(what));
    if (!answer)
      return std::nullopt;
    return answer->code;
  }

  std::optional<claim_result>
  answer_to(const std::string& id, decltype(to_conversation::message) what) {
    auto out = std::make_shared<std::optional<claim_result>>();
    auto asker = [](caf::event_based_actor* self, caf::actor directory,
                    to_conversation m,
                    std::shared_ptr<std::optional<claim_result>> out) {
      self->request(directory, caf::infinite, std::move(m))
        .then([self, out](claim_result& r) {
          *out = std::move(r);
          self->quit();
        });
    };
    fx->sys.spawn(asker, service->directory(),
                  to_conversation{id, std::move(what)}, out);
    run();
    return *out;
  }
};

TEST_F(ClaimAgainTest, AClaimAskedAgainByTheAgentInItIsWon) {
  boot(capacity_two);
  auto alice = login("alice");
  auto id = start(customer("carol"));
  auto offer = alice->last_offer()->offer;
  ASSERT_TRUE(call(agent("alice"), accept_offer{offer}).ok());
  EXPECT_EQ(ask(id, claim{offer, alice_in, {}, true}), errc::ok);
  EXPECT_EQ(ask(id, claim{offer, alice_in, {}, false}), errc::conflict)
    << "a first ask for an offer that is over";
}

TEST_F(ClaimAgainTest, APickAskedAgainByTheAgentInItIsWon) {
  boot(capacity_two);
  auto alice = login("alice");
  auto id = start(customer("carol"));
  ASSERT_TRUE(
    call(agent("alice"), accept_offer{alice->last_offer()->offer}).ok());
  EXPECT_EQ(ask(id, pick{alice_in, {}, {"sales"}, {}, true}), errc::ok);
  EXPECT_NE(ask(id, pick{alice_in, {}, {"sales"}, {}, false}), errc::ok)
    << "a first pick of a conversation no longer waiting";
}

// Asked again by an agent that is not in it: the first ask lost.
TEST_F(ClaimAgainTest, AClaimAskedAgainByAnotherAgentIsLost) {
  boot(capacity_two);
  auto alice = login("alice");
  auto id = start(customer("carol"));
  auto offer = alice->last_offer()->offer;
  ASSERT_TRUE(call(agent("alice"), accept_offer{offer}).ok());
  engine::participant bob{"bob", engine::role::agent, "bob"};
  EXPECT_EQ(ask(id, claim{offer, bob, {}, true}), errc::conflict);
}

// A pick asked again of a conversation still waiting is lost, though a
// first pick would win it: the first ask was refused (its answer late), and
// a win now would be one the agent counts nowhere.
TEST_F(ClaimAgainTest, APickAskedAgainIsNotDecidedAnew) {
  boot(capacity_two);
  login("alice", false);
  auto id = start(customer("carol"));
  EXPECT_EQ(ask(id, pick{alice_in, {}, {"sales"}, {}, true}), errc::conflict);
  EXPECT_EQ(ask(id, pick{alice_in, {}, {"sales"}, {}, false}), errc::ok)
    << "the conversation was there to pick";
}

// The agent settles a claim by conversation and offer: the directory's
// answer for a conversation it does not know names both.
TEST_F(ClaimAgainTest, AClaimAskedAgainOfNoConversationIsNotFoundByItsOffer) {
  boot(capacity_two);
  auto answer = answer_to("c-gone", claim{"o-9", alice_in, {}, true});
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->code, errc::not_found);
  EXPECT_EQ(answer->conversation, "c-gone");
  EXPECT_EQ(answer->offer, "o-9");
}

} // namespace
} // namespace baton::actors::testing
