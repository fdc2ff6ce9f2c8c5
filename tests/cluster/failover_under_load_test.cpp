// The serving node of three (or, with the shards spread, the first node,
// which holds a share) is killed, drained or frozen while every customer
// sends as fast as its replies come: through HAProxy, each conversation
// answers again on the node that took over, with every
// message acknowledged before and nothing twice (a frozen node that wakes
// writes nothing); assignments stay where they were, no agent holds more
// than its capacity, and both lines keep their order and their ages
// (docs/cluster.md, "Failures, and how each is survived").

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;
using std::chrono::steady_clock;

/// Customers whose conversations agents take (alice and bob hold 3 each)
/// and those left waiting, in `general` (agents full) and in `sales`
/// (nobody signed in).
constexpr int assigned_count = 6;
constexpr int waiting_in_general = 3;
constexpr int waiting_in_sales = 3;
constexpr int customer_count = assigned_count + waiting_in_general
                               + waiting_in_sales;
/// What a node sharing the shards logs once it can route.
constexpr const char* joined_line = "the directories' table told";
/// Messages each customer has acknowledged before the kill, and after.
constexpr std::size_t acked_before_kill = 20;
constexpr std::size_t acked_after_kill = 3;

/// How the serving node goes: the signal, and how it exits.
struct ending {
  const char* name;
  int signal;
  /// Its exit status; none: killed by the signal.
  std::optional<int> status;
  /// The three nodes share the shards (cluster.spread).
  bool spread = false;
};

/// Its name, in gtest's messages.
void PrintTo(const ending& e, std::ostream* out) {
  *out << e.name;
}

/// One customer sending without pause on its own connection and thread:
/// a message not acknowledged (an error, or a connection closed by the
/// node's death) is sent again with the same `client_msg_id` on a new
/// connection through HAProxy, until it is.
struct sender {
  std::string customer;
  std::string conversation;
  ws_client client;
  /// The texts acknowledged, in the order sent.
  std::vector<std::string> acked;
  /// Of those, the ones sent after the kill was seen.
  std::size_t acked_after = 0;
  std::thread thread;
};

/// Where the messages read back part from those acknowledged; empty when
/// they are the same.
std::string difference(const std::vector<std::string>& read,
                       const std::vector<std::string>& acked) {
  if (read == acked)
    return {};
  std::size_t i = 0;
  while (i < read.size() && i < acked.size() && read[i] == acked[i])
    ++i;
  auto at = [i](const std::vector<std::string>& v) {
    return i < v.size() ? "\"" + v[i] + "\"" : std::string{"nothing"};
  };
  return std::to_string(read.size()) + " read, " + std::to_string(acked.size())
         + " acknowledged; from #" + std::to_string(i + 1) + " on, read "
         + at(read) + " where acknowledged " + at(acked);
}

class FailoverUnderLoadTest : public cluster_test,
                              public ::testing::WithParamInterface<ending> {
protected:
  void SetUp() override {
    relay_ = true;
    // Customers send as fast as replies come: far over the 50 a second a
    // session may send by default.
    more_env_ = {"BATON_SERVER_MAX_REQUESTS_PER_SECOND=100000"};
    if (GetParam().spread)
      more_toml_ = "spread = true\nexpected_nodes = 3\n";
    cluster_test::SetUp();
  }

  void TearDown() override {
    stop_ = true;
    for (auto& s : senders_)
      if (s->thread.joinable())
        s->thread.join();
    cluster_test::TearDown();
  }

  /// n1 serves; n2 and n3 relay to it. Spread, the three share the shards.
  void start_three() {
    if (GetParam().spread) {
      for (std::size_t i = 0; i < node_count; ++i)
        ASSERT_TRUE(start_node(i));
      for (std::size_t i = 0; i < node_count; ++i)
        ASSERT_TRUE(node(i).wait_log(joined_line, takeover_timeout))
          << node(i).log_tail();
      return;
    }
    ASSERT_TRUE(start_node(0));
    ASSERT_TRUE(node(0).wait_log("this node serves now", takeover_timeout))
      << node(0).log_tail();
    for (std::size_t i : {1, 2}) {
      ASSERT_TRUE(start_node(i));
      ASSERT_TRUE(
        node(i).wait_log("relaying to the serving node", takeover_timeout))
        << node(i).log_tail();
    }
  }

  /// A queue's waiting entries, and when they were asked for and came.
  struct line {
    json::array entries;
    steady_clock::time_point asked;
    steady_clock::time_point answered;
  };

  /// The waiting entries of `queue` as `agent` lists them.
  line waiting(ws_client& agent, const std::string& queue) {
    line l;
    l.asked = steady_clock::now();
    auto list = agent.request(
      {{"type", "waitlist.list"}, {"id", next_id()}, {"queue", queue}},
      reply_timeout);
    l.answered = steady_clock::now();
    EXPECT_TRUE(is_ok(list)) << dump(list);
    if (is_ok(list))
      l.entries = list->at("entries").as_array();
    return l;
  }

  /// Each wait of `after` is the one of `before` grown by the time between
  /// the two lists: at least from the first's answer to the second's
  /// question, at most from the first's question to the second's answer
  /// (a wait counted afresh, or from a wrong start, is out of these).
  static void aged(const line& before, const line& after) {
    auto ms = [](steady_clock::duration d) {
      return std::chrono::duration_cast<milliseconds>(d).count();
    };
    // The nodes read their clocks in whole milliseconds.
    auto least = ms(after.asked - before.answered) - 2;
    auto most = ms(after.answered - before.asked) + 2;
    for (std::size_t i = 0;
         i < before.entries.size() && i < after.entries.size(); ++i) {
      const auto& was = before.entries[i].as_object();
      const auto& is = after.entries[i].as_object();
      auto grew = integer(is, "waited_ms").value_or(0)
                  - integer(was, "waited_ms").value_or(0);
      EXPECT_GE(grew, least) << dump(was) << " then " << dump(is);
      EXPECT_LE(grew, most) << dump(was) << " then " << dump(is);
    }
  }

  static std::vector<std::string> ids_of(const line& l) {
    std::vector<std::string> ids;
    for (const auto& e : l.entries)
      ids.push_back(str(e.as_object(), "conversation"));
    return ids;
  }

  /// Sends until told to stop, then returns once its last message is
  /// acknowledged (or the deadline passes: the test then fails on counts).
  void send_until_stopped(sender& s) {
    for (int n = 1; !stop_; ++n) {
      auto text = s.customer + " #" + std::to_string(n);
      auto client_msg_id = s.customer + "-" + std::to_string(n);
      auto deadline = steady_clock::now() + 2 * takeover_timeout;
      for (;;) {
        bool after_kill = killed_;
        auto reply = s.client.request({{"type", "message.send"},
                                       {"id", next_id()},
                                       {"conversation", s.conversation},
                                       {"text", text},
                                       {"client_msg_id", client_msg_id}},
                                      reply_timeout);
        if (is_ok(reply)) {
          std::lock_guard lock(mutex_);
          s.acked.push_back(text);
          s.acked_after += after_kill ? 1 : 0;
          progress_.notify_all();
          break;
        }
        // The node it was on died, or its core did: a new connection. Any
        // other answer is wrong.
        if (reply && error_code(reply) != "unavailable") {
          ADD_FAILURE() << s.customer << ": " << dump(reply);
          return;
        }
        if (steady_clock::now() >= deadline)
          return;
        s.client = login_through_balancer(role::customer, s.customer);
      }
    }
  }

  /// Waits until every sender has `count` acknowledged messages (after the
  /// kill, when `after_kill`).
  bool every_sender_has(std::size_t count, bool after_kill) {
    std::unique_lock lock(mutex_);
    return progress_.wait_for(lock, 2 * takeover_timeout, [&] {
      for (const auto& s : senders_)
        if ((after_kill ? s->acked_after : s->acked.size()) < count)
          return false;
      return true;
    });
  }

  std::vector<std::unique_ptr<sender>> senders_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> killed_{false};
  std::mutex mutex_;
  std::condition_variable progress_;
};

TEST_P(FailoverUnderLoadTest, NothingAcknowledgedIsLostAndNothingTwice) {
  const auto& how = GetParam();
  start_three();
  auto alice = login_through_balancer(role::agent, "alice");
  auto bob = login_through_balancer(role::agent, "bob");
  std::map<std::string, std::string> assignee;
  for (int i = 0; i < customer_count; ++i) {
    auto s = std::make_unique<sender>();
    s->customer = "cust" + std::to_string(i);
    s->client = login_through_balancer(role::customer, s->customer);
    // Alice takes the first three, Bob the next three: one ready at a time.
    if (i == 0)
      make_ready(alice);
    if (i == assigned_count / 2)
      make_ready(bob);
    auto queue = i < assigned_count + waiting_in_general ? "general" : "sales";
    s->conversation = start_conversation(s->client, "help", queue);
    ASSERT_FALSE(s->conversation.empty());
    if (i < assigned_count) {
      auto& agent = i < assigned_count / 2 ? alice : bob;
      ASSERT_TRUE(accept_offer(agent, s->conversation));
      assignee[s->conversation] = i < assigned_count / 2 ? "alice" : "bob";
    }
    senders_.push_back(std::move(s));
  }
  auto carol = login_through_balancer(role::agent, "carol");
  auto general_before = waiting(alice, "general");
  auto sales_before = waiting(carol, "sales");
  ASSERT_EQ(general_before.entries.size(), std::size_t{waiting_in_general});
  ASSERT_EQ(sales_before.entries.size(), std::size_t{waiting_in_sales});

  for (auto& s : senders_)
    s->thread = std::thread([this, &s = *s] { send_until_stopped(s); });
  ASSERT_TRUE(every_sender_has(acked_before_kill, false));
  ASSERT_TRUE(node(0).signal(how.signal));
  if (how.signal != SIGSTOP) {
    auto status = node(0).wait_exit(takeover_timeout);
    ASSERT_TRUE(status.has_value()) << node(0).log_tail();
    if (how.status)
      EXPECT_EQ(*status, *how.status) << node(0).log_tail();
  }
  killed_ = true;
  bool answered_again = every_sender_has(acked_after_kill, true);
  stop_ = true;
  for (auto& s : senders_)
    s->thread.join();
  ASSERT_TRUE(answered_again)
    << "every conversation answers again through the other nodes\n"
    << node(1).log_tail() << node(2).log_tail();
  if (how.signal == SIGSTOP) {
    // It wakes with its lease long gone: it stops, and what it still had
    // to write is refused by the fence (the histories below).
    ASSERT_TRUE(node(0).signal(SIGCONT));
    auto status = node(0).wait_exit(takeover_timeout);
    ASSERT_TRUE(status.has_value()) << node(0).log_tail();
    EXPECT_EQ(*status, 75) << node(0).log_tail();
    // Started again (its service manager would), it rejoins: it relays
    // to the node that took over.
    ASSERT_TRUE(start_node(0));
    EXPECT_TRUE(node(0).wait_log(how.spread ? joined_line
                                            : "relaying to the serving node",
                                 takeover_timeout))
      << node(0).log_tail();
    // Spread, the others give it its share back: what is checked below
    // went through that move too.
    if (how.spread)
      EXPECT_TRUE(wait_share_of(0)) << node(0).log_tail();
  }

  // Every message acknowledged is there once, in the order sent; each
  // customer still waiting is told its place in its line as it was. A
  // queue started anew under another node takes its line back one
  // conversation at a time, and tells each its place at its next tick
  // (routing.position_update_ms): the place is asked again until then.
  auto reader_agent = login_through_balancer(role::agent, "carol");
  for (std::size_t i = 0; i < senders_.size(); ++i) {
    auto& s = senders_[i];
    json::object hello;
    auto customer = login_through_balancer(role::customer, s->customer, &hello);
    ASSERT_TRUE(lists(hello, s->conversation)) << dump(hello);
    if (i >= std::size_t{assigned_count}) {
      auto in_line = i - assigned_count;
      auto place = static_cast<std::int64_t>(
        in_line < waiting_in_general ? in_line + 1
                                     : in_line - waiting_in_general + 1);
      auto position = [&] {
        for (const auto& c : hello.at("conversations").as_array())
          if (str(c.as_object(), "conversation") == s->conversation)
            return integer(c.as_object(), "position");
        return std::optional<std::int64_t>{};
      };
      auto deadline = steady_clock::now() + takeover_timeout;
      while (position() != place && steady_clock::now() < deadline) {
        std::this_thread::sleep_for(milliseconds(100));
        customer = login_through_balancer(role::customer, s->customer, &hello);
      }
      EXPECT_EQ(position(), place) << s->customer << ": " << dump(hello);
    }
    auto texts = message_texts(customer, s->conversation);
    ASSERT_FALSE(texts.empty());
    EXPECT_EQ(
      difference(std::vector<std::string>(texts.begin() + 1, texts.end()),
                 s->acked),
      "")
      << s->customer << ": acknowledged, then read back";
  }

  // Each assigned conversation has its one agent; no agent is over its
  // capacity (loads as the node that took over counts them).
  alice = login_through_balancer(role::agent, "alice");
  auto mine = alice.request({{"type", "conversation.list"}, {"id", next_id()}},
                            reply_timeout);
  ASSERT_TRUE(is_ok(mine)) << dump(mine);
  std::size_t alices = 0;
  for (const auto& c : mine->at("conversations").as_array()) {
    const auto& summary = c.as_object();
    EXPECT_EQ(assignee[str(summary, "conversation")], "alice") << dump(summary);
    EXPECT_EQ(summary.at("agents").as_array().size(), 1u) << dump(summary);
    ++alices;
  }
  EXPECT_EQ(alices, std::size_t{assigned_count / 2});
  auto erin = login_through_balancer(role::supervisor, "erin");
  auto agents = erin.request({{"type", "agent.list"}, {"id", next_id()}},
                             reply_timeout);
  ASSERT_TRUE(is_ok(agents)) << dump(agents);
  for (const auto& a : agents->at("agents").as_array()) {
    const auto& row = a.as_object();
    EXPECT_LE(integer(row, "load"), integer(row, "capacity")) << dump(row);
    if (str(row, "agent") == "alice" || str(row, "agent") == "bob") {
      EXPECT_EQ(integer(row, "load"), assigned_count / 2) << dump(row);
    }
  }

  // Both lines hold the same conversations, each wait counted from where
  // it began (the lists are by age, all of one priority: the same order).
  auto general_after = waiting(alice, "general");
  auto sales_after = waiting(reader_agent, "sales");
  EXPECT_EQ(ids_of(general_after), ids_of(general_before));
  EXPECT_EQ(ids_of(sales_after), ids_of(sales_before));
  aged(general_before, general_after);
  aged(sales_before, sales_after);
}

INSTANTIATE_TEST_SUITE_P(
  TheServingNode, FailoverUnderLoadTest,
  ::testing::Values(ending{"Killed", SIGKILL, std::nullopt},
                    ending{"Drained", SIGTERM, 0},
                    ending{"FrozenPastItsLease", SIGSTOP, std::nullopt}),
  [](const ::testing::TestParamInfo<ending>& info) {
    return std::string{info.param.name};
  });

INSTANTIATE_TEST_SUITE_P(
  AnOwnerOfSpreadShards, FailoverUnderLoadTest,
  ::testing::Values(ending{"Killed", SIGKILL, std::nullopt, true},
                    ending{"Drained", SIGTERM, 0, true},
                    ending{"FrozenPastItsLease", SIGSTOP, std::nullopt, true}),
  [](const ::testing::TestParamInfo<ending>& info) {
    return std::string{info.param.name};
  });

} // namespace
} // namespace baton::cluster_tests
