#include "tests/cluster/cluster_fixture.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/free_port.hpp"
#include "tests/support/haproxy.hpp"

namespace baton::cluster_tests {
namespace {

using clock = std::chrono::steady_clock;
} // namespace

void cluster_test::SetUp() {
  postgres_ = postgres_cluster::shared();
  ASSERT_NE(postgres_, nullptr) << postgres_cluster::why_unavailable();
  server_config c;
  database_url_ = postgres_->url(postgres_->create_database());
  c.postgres_url = database_url_;
  // The tests stop PostgreSQL at once: what was acknowledged must be in
  // its log by then (synchronous_commit on).
  c.durability = "fsync";
  c.extra_toml = "[cluster]\nshards = " + std::to_string(shard_count)
                 + "\nlease_renew_ms = " + std::to_string(lease_renew_ms)
                 + "\nlease_expiry_ms = " + std::to_string(lease_expiry_ms)
                 + "\n" + more_toml_;
  write_config(c);
  for (auto& n : nodes_)
    n.port = test_support::free_loopback_port();
  ASSERT_TRUE(start_balancer());
}

bool cluster_test::start_balancer() {
  test_support::haproxy_options o;
  o.front_port = test_support::free_loopback_port();
  for (const auto& n : nodes_)
    o.node_ports.push_back(n.port);
  haproxy_.emplace();
  if (!test_support::start_haproxy(*haproxy_, o, dir())) {
    ADD_FAILURE() << "HAProxy did not start (install the haproxy package: "
                     "scripts/setup.sh): "
                  << haproxy_->error() << "\n"
                  << haproxy_->log();
    return false;
  }
  use_front(o.front_port);
  return true;
}

void cluster_test::TearDown() {
  for (std::size_t i = 0; i < node_count; ++i) {
    auto& p = nodes_[i].process;
    if (!p)
      continue;
    p->stop(milliseconds(3000));
    if (HasFailure())
      std::cerr << "---- " << node_id(i) << " ----\n" << p->log() << "\n";
  }
  if (haproxy_) {
    haproxy_->stop(milliseconds(2000));
    if (HasFailure())
      std::cerr << "---- haproxy ----\n" << haproxy_->log() << "\n";
  }
  server_test::TearDown();
}

bool cluster_test::start_node(std::size_t i) {
  auto& slot = nodes_[i];
  slot.process.reset();
  slot.process.emplace();
  baton_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config_path().string();
  o.listen = "127.0.0.1:" + std::to_string(slot.port);
  o.env = {"BATON_CLUSTER_NODE_ID=" + node_id(i)};
  if (relay_)
    o.env.push_back("BATON_CLUSTER_LISTEN=127.0.0.1:0");
  o.env.insert(o.env.end(), more_env_.begin(), more_env_.end());
  o.wait_for_listening = false;
  if (!slot.process->start(o)) {
    ADD_FAILURE() << node_id(i) << " did not start: " << slot.process->error();
    return false;
  }
  return true;
}

double cluster_test::shards_held(std::size_t i) {
  auto scrape = http_get(node_port(i), "/metrics");
  if (!scrape || scrape->status != 200)
    return -1;
  return find_metric(scrape->body, "baton_cluster_shards_held").value_or(-1);
}

bool cluster_test::wait_share_of(std::size_t i, milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  for (;;) {
    double total = 0;
    double most = 0;
    double live = 0;
    for (std::size_t n = 0; n < node_count; ++n)
      if (auto held = nodes_[n].process ? shards_held(n) : -1.0; held >= 0) {
        total += held;
        most = std::max(most, held);
        live += 1;
      }
    // As the nodes count their share: none holds more once evened out.
    auto share = std::ceil(shard_count / std::max(live, 1.0));
    if (shards_held(i) > 0 && total == shard_count && most <= share)
      return true;
    if (clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
}

bool cluster_test::wait_serving(std::size_t i, milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  if (!node(i).wait_listening(timeout)) {
    ADD_FAILURE() << node_id(i) << " does not serve:\n" << node(i).log_tail();
    return false;
  }
  // HAProxy's next check puts it in rotation.
  for (;;) {
    auto res = http_get(port(), "/readyz");
    if (res && res->status == 200)
      return true;
    if (clock::now() >= deadline) {
      ADD_FAILURE() << "HAProxy never sent clients to " << node_id(i);
      return false;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

std::optional<json::object>
cluster_test::say_hello(ws_client& c, engine::role r, std::string_view user) {
  return c.request({{"type", "hello"},
                    {"id", next_id()},
                    {"role", std::string(engine::to_string(r))},
                    {"user", std::string(user)},
                    {"token", token(r, user)}},
                   reply_timeout);
}

ws_client cluster_test::login_at(std::size_t i, engine::role r,
                                 std::string_view user,
                                 json::object* hello_reply) {
  ws_client c;
  if (!c.connect(node_port(i))) {
    ADD_FAILURE() << node_id(i) << " takes no connection";
    return c;
  }
  auto reply = say_hello(c, r, user);
  EXPECT_TRUE(is_ok(reply))
    << user << " at " << node_id(i) << ": " << dump(reply);
  if (hello_reply != nullptr && reply)
    *hello_reply = *reply;
  return c;
}

ws_client cluster_test::login_through_balancer(engine::role r,
                                               std::string_view user,
                                               json::object* hello_reply) {
  auto deadline = clock::now() + takeover_timeout;
  for (;;) {
    ws_client c;
    if (c.connect(port())) {
      auto reply = say_hello(c, r, user);
      if (is_ok(reply)) {
        if (hello_reply != nullptr)
          *hello_reply = *reply;
        return c;
      }
    }
    if (clock::now() >= deadline) {
      ADD_FAILURE() << "no node took " << user << " through HAProxy";
      return ws_client{};
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

cluster_test::offer_race
cluster_test::race_for_offers(std::array<ws_client, 2>& desktops,
                              std::size_t answers,
                              const std::function<void()>& meanwhile) {
  std::mutex mutex;
  std::condition_variable answered;
  offer_race race;
  std::atomic<bool> stop{false};
  auto accept_every_offer = [&](ws_client& desktop) {
    while (!stop) {
      auto offer = desktop.wait_for("offer", milliseconds(100));
      if (!offer)
        continue;
      auto reply = desktop.request({{"type", "offer.accept"},
                                    {"id", next_id()},
                                    {"offer", str(*offer, "offer")}},
                                   reply_timeout);
      std::lock_guard lock(mutex);
      if (is_ok(reply))
        race.taken.push_back(str(*offer, "conversation"));
      else if (reply)
        ++race.refused;
      else
        ADD_FAILURE() << "no answer to an accept: " << desktop.error();
      answered.notify_all();
    }
  };
  std::thread first(accept_every_offer, std::ref(desktops[0]));
  std::thread second(accept_every_offer, std::ref(desktops[1]));
  meanwhile();
  {
    std::unique_lock lock(mutex);
    race.answered = answered.wait_for(lock, takeover_timeout, [&] {
      return race.taken.size() + race.refused >= answers;
    });
  }
  stop = true;
  first.join();
  second.join();
  return race;
}

void cluster_test::expect_taken_once(const offer_race& race,
                                     std::size_t capacity) {
  ASSERT_TRUE(race.answered)
    << race.taken.size() << " taken, " << race.refused << " refused";
  EXPECT_EQ(race.taken.size(), capacity);
  EXPECT_EQ(race.refused, capacity);
  EXPECT_EQ(std::set<std::string>(race.taken.begin(), race.taken.end()).size(),
            capacity);
}

} // namespace baton::cluster_tests
