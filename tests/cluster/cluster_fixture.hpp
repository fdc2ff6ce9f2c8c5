#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.hpp"
#include "tests/engine/storage/postgres_cluster.hpp"

/// The fixture of the cluster suites: real `baton` nodes on one private
/// PostgreSQL, with HAProxy in front (docs/cluster.md). Clients connect
/// through HAProxy, as they would in production; a test kills, stops or
/// drains nodes and watches the others take over.
namespace baton::cluster_tests {

using namespace e2e;
using engine::storage::testing::postgres_cluster;

/// The nodes' [cluster] shards.
inline constexpr std::uint32_t shard_count = 16;
/// Short leases, so that a test sees a takeover within a second or two.
inline constexpr int lease_renew_ms = 100;
inline constexpr int lease_expiry_ms = 1000;
/// A takeover: the lease running out, the claim, recovery, HAProxy's check.
inline constexpr milliseconds takeover_timeout{15000};

class cluster_test : public server_test {
protected:
  /// Started as each test needs; HAProxy knows them all.
  static constexpr std::size_t node_count = 3;

  void SetUp() override;
  void TearDown() override;

  /// Starts node `i` (named n1, n2, ...) on its own port; it serves, or
  /// stands by while another node does.
  bool start_node(std::size_t i);
  /// Waits until node `i` serves and HAProxy sends clients to it.
  bool wait_serving(std::size_t i, milliseconds timeout = takeover_timeout);
  baton_process& node(std::size_t i) {
    return *nodes_[i].process;
  }
  std::string node_id(std::size_t i) const {
    return "n" + std::to_string(i + 1);
  }
  std::uint16_t node_port(std::size_t i) const {
    return nodes_[i].port;
  }
  postgres_cluster& database() {
    return *postgres_;
  }
  /// The nodes' database, as storage.url names it.
  const std::string& database_url() const {
    return database_url_;
  }

  /// `req` with a fresh id, asked on `c`: its reply.
  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }

  /// Node `i`'s baton_cluster_shards_held; -1 when it does not answer.
  double shards_held(std::size_t i);
  /// With cluster.spread: waits until the nodes hold every shard between
  /// them, none past its share (ceil(shards / nodes answering)), and node
  /// `i` holds some: the others gave it its share, the excess of each
  /// freed and claimed. Whether it came to that in time.
  bool wait_share_of(std::size_t i, milliseconds timeout = takeover_timeout);

  /// What `baton cluster status` prints.
  std::string cluster_status() {
    return command_output(std::string(BATON_BINARY)
                          + " cluster status --config " + config_path().string()
                          + " 2>&1");
  }

  /// A client of the load balancer, logged in; retried while HAProxy has
  /// no node to send it to (during a takeover).
  ws_client login_through_balancer(engine::role r, std::string_view user,
                                   json::object* hello_reply = nullptr);
  /// A client of node `i` itself, logged in.
  ws_client login_at(std::size_t i, engine::role r, std::string_view user,
                     json::object* hello_reply = nullptr);

  /// What two desktops of one agent got, each accepting every offer it
  /// saw as two racing desktops would: the conversations taken, the
  /// accepts refused, and whether `answers` accepts were answered in time.
  struct offer_race {
    std::vector<std::string> taken;
    std::size_t refused = 0;
    bool answered = false;
  };
  /// Runs that race while `meanwhile` (starting the conversations) runs,
  /// until `answers` accepts were answered or the takeover timeout passed.
  offer_race race_for_offers(std::array<ws_client, 2>& desktops,
                             std::size_t answers,
                             const std::function<void()>& meanwhile);

  /// Every accept answered, each offer taken by one desktop and refused to
  /// the other, and no more taken than `capacity`, each conversation once.
  static void expect_taken_once(const offer_race& race, std::size_t capacity);

  /// Set before SetUp: nodes take each other's calls (cluster.listen), so
  /// that one standing by relays its clients to the serving node.
  bool relay_ = false;
  /// Set before SetUp: more of the nodes' configuration.
  std::string more_toml_;
  /// More of the nodes' environment (`BATON_SECTION_KEY=value`).
  std::vector<std::string> more_env_;

private:
  /// `hello` on `c` as `user` with a valid token: the reply.
  std::optional<json::object> say_hello(ws_client& c, engine::role r,
                                        std::string_view user);

  struct node_slot {
    std::uint16_t port = 0;
    std::optional<baton_process> process;
  };
  bool start_balancer();

  postgres_cluster* postgres_ = nullptr;
  std::string database_url_;
  std::array<node_slot, node_count> nodes_;
  std::optional<baton_process> haproxy_;
};

} // namespace baton::cluster_tests
