// Requests on directories sharing the shards, refused or served by the node
// that makes the change (docs/cluster.md, "Directories sharing the shards").
#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

/// Carol's holder runs on a node whose store may fall behind.
class StoreBehindTest : public HoldersTest {
protected:
  StoreBehindTest() {
    store_behind_at_ = holder_of(carol_key);
  }

  /// A customer held by a directory whose store keeps up.
  static std::string customer_held_elsewhere(std::size_t behind) {
    for (int i = 0;; ++i) {
      auto id = "dave" + std::to_string(i);
      if (holder_of(engine::user_key(engine::role::customer, id)) != behind)
        return id;
    }
  }
};

TEST_F(StoreBehindTest, ChangesAreRefusedByTheNodeThatWouldStoreThem) {
  const auto behind = *store_behind_at_;
  const auto front = not_holder_of(carol_key);
  auto carol = connect(front, customer("carol"));
  auto started = call(front, customer("carol"), start_conversation{});
  ASSERT_TRUE(started.ok()) << started.message;
  auto id = started.as<opened>().conversation;

  store_falls_behind(true);
  // Through a front whose store keeps up, her holder refuses her changes...
  auto message = call(front, customer("carol"), send_message{id, "hi", {}});
  EXPECT_EQ(message.code, engine::errc::unavailable) << message.message;
  EXPECT_EQ(message.message, "storage is behind: try again in a moment");
  EXPECT_EQ(call(front, customer("carol"), start_conversation{}).code,
            engine::errc::unavailable);
  // ...and reads go on.
  conversation_history history;
  history.conversation = id;
  EXPECT_TRUE(call(front, customer("carol"), history).ok());

  // A customer held by another node is served through the front whose
  // store is behind: what she changes is stored there, not here.
  auto dave = customer(customer_held_elsewhere(behind));
  connect(behind, dave);
  auto his = call(behind, dave, start_conversation{});
  ASSERT_TRUE(his.ok()) << his.message;
  EXPECT_TRUE(
    call(behind, dave, send_message{his.as<opened>().conversation, "hello", {}})
      .ok());

  store_falls_behind(false);
  EXPECT_TRUE(
    call(front, customer("carol"), send_message{id, "again", {}}).ok());
  EXPECT_EQ(carol->count<engine::message_posted>(), 1u);
}

TEST_F(StoreBehindTest, AnAgentsClaimIsRefusedByTheNodeOfItsConversation) {
  const auto behind = *store_behind_at_;
  auto alice = ready(behind, "alice");
  connect(not_holder_of(carol_key), customer("carol"));
  ASSERT_TRUE(
    call(not_holder_of(carol_key), customer("carol"), start_conversation{})
      .ok());
  auto offer = alice->last_offer();
  ASSERT_TRUE(offer);

  store_falls_behind(true);
  auto refused = call(behind, agent("alice"), accept_offer{offer->offer});
  EXPECT_EQ(refused.code, engine::errc::unavailable) << refused.message;
  EXPECT_NE(refused.message.find("try again"), std::string::npos)
    << refused.message;

  // Through the same front, a conversation another node stores is taken.
  auto dave = customer(customer_held_elsewhere(behind));
  connect(holder_of(engine::user_key(dave.role, dave.user)), dave);
  ASSERT_TRUE(call(holder_of(engine::user_key(dave.role, dave.user)), dave,
                   start_conversation{})
                .ok());
  auto his = alice->last_offer();
  ASSERT_TRUE(his);
  ASSERT_NE(his->offer, offer->offer);
  auto taken = call(behind, agent("alice"), accept_offer{his->offer});
  EXPECT_TRUE(taken.ok()) << taken.message;
}

} // namespace
} // namespace baton::actors::testing
