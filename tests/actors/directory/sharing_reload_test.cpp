// A reload of directories that share the shards (docs/cluster.md,
// "Joining"): each starts the new queues and agents of its own shards, and
// the others learn them as they join; an agent whose new queue another
// directory holds starts once that one has reloaded too.
#include "sharing_fixture.hpp"

namespace baton::actors::testing {
namespace {

class SharingReloadTest : public HoldersTest {
protected:
  /// An id, with `prefix`, that the directory `d` holds.
  static std::string held_by(std::size_t d, const std::string& prefix) {
    for (int n = 0;; ++n) {
      auto id = prefix + std::to_string(n);
      if (holder_of(id) == d)
        return id;
    }
  }

  /// Directory `d` reads `toml` (the fixture's file, and more).
  void reload(std::size_t d, const std::string& more) {
    auto loaded = engine::config::load_string(
      std::string{two_queues} + more, "reload.toml",
      [](std::string_view) { return std::nullopt; });
    for (const auto& e : loaded.errors)
      ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(loaded.ok());
    auto version = sources_[d]->stage(
      std::make_shared<const engine::config::config>(std::move(*loaded.value)));
    caf::anon_send(directories_[d], new_config{version});
    run();
  }
};

TEST_F(SharingReloadTest, ANewQueueAndItsAgentHeldApartMeetOnceBothReloaded) {
  // The new agent's directory reads the file first: its queue is not
  // known there yet.
  auto queue = held_by(0, "support-");
  auto agent_id = held_by(1, "sue-");
  auto more = "\n[[queues]]\nid = \"" + queue + "\"\n\n[[agents]]\nid = \""
              + agent_id + "\"\nqueues = [\"" + queue + "\"]\n";
  reload(1, more);
  EXPECT_EQ(call(2, sam, list_agents{}).as<agent_list>().agents.size(), 2u)
    << "not started yet";
  EXPECT_EQ(call(1, agent(agent_id), list_queues{}).code, engine::errc::ok)
    << "the directory still takes calls meanwhile";

  reload(0, more);
  reload(2, more);
  for (std::size_t f = 0; f < directory_count; ++f) {
    auto queues = call(f, sam, list_queues{});
    ASSERT_TRUE(queues.ok()) << queues.message;
    EXPECT_EQ(queues.as<queue_list>().queues.size(), 3u) << "front " << f;
    auto agents = call(f, sam, list_agents{});
    ASSERT_TRUE(agents.ok()) << agents.message;
    EXPECT_EQ(agents.as<agent_list>().agents.size(), 3u) << "front " << f;
  }

  auto sue = ready(2, agent_id);
  start_conversation in_support;
  in_support.queue = queue;
  auto started = call(2, customer("carol"), in_support);
  ASSERT_TRUE(started.ok()) << started.message;
  auto offer = sue->last_offer();
  ASSERT_TRUE(offer) << "the new queue offers to the new agent";
  EXPECT_EQ(offer->queue, queue);
}

} // namespace
} // namespace baton::actors::testing
