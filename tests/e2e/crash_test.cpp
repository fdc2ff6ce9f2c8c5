// Durability: the real binary under a steady load of new conversations,
// messages and closes is killed with SIGKILL at random moments, again and
// again. After each restart everything that was acknowledged is there, once:
// conversations, messages, closes, the waiting list in its order with its
// ages, and an agent's assignment.

#include <csignal>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

constexpr int kills = 10;
constexpr int customers = 3;
constexpr std::size_t max_open = 40; ///< per customer

std::int64_t unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
    .count();
}

/// What the clients were told, and so what must survive.
struct acknowledged {
  struct conversation {
    int customer = 0;
    std::int64_t started_at = 0; ///< when the start was acknowledged
    std::vector<std::string> messages;
    bool closed = false;
    /// A close was sent and the server died before answering: it may or
    /// may not have happened. The restart tells which.
    bool maybe_closed = false;
  };
  std::map<std::string, conversation> conversations;
  /// In the order their starts were acknowledged.
  std::vector<std::string> started;
};

class CrashTest : public server_test {
protected:
  std::string customer_id(int i) {
    return "crash-customer-" + std::to_string(i);
  }

  /// Requests one after another until the server dies under them. A request
  /// without a reply may or may not have happened; one with `ok` did.
  void load(std::vector<ws_client>& clients, acknowledged& ack,
            std::mt19937& rng, int& counter) {
    for (;;) {
      int who = static_cast<int>(rng() % customers);
      auto& c = clients[static_cast<std::size_t>(who)];
      std::vector<std::string> open;
      for (const auto& [id, conv] : ack.conversations)
        if (conv.customer == who && !conv.closed)
          open.push_back(id);
      auto dice = rng() % 100;
      auto text = "t-" + std::to_string(++counter);
      // Few enough open ones that waitlist.list shows them all.
      if (open.empty() || (dice < 25 && open.size() < max_open)) {
        auto reply = c.request({{"type", "conversation.start"},
                                {"id", next_id()},
                                {"queue", "general"},
                                {"text", text}},
                               reply_timeout);
        if (!reply)
          return;
        ASSERT_TRUE(is_ok(reply)) << dump(reply);
        auto id = str(reply, "conversation");
        ack.conversations[id] = {who, unix_ms(), {text}, false};
        ack.started.push_back(id);
        continue;
      }
      const auto& target = open[rng() % open.size()];
      if (dice < 92) {
        auto reply = c.request({{"type", "message.send"},
                                {"id", next_id()},
                                {"conversation", target},
                                {"text", text},
                                {"client_msg_id", text}},
                               reply_timeout);
        if (!reply)
          return;
        ASSERT_TRUE(is_ok(reply)) << dump(reply);
        ack.conversations[target].messages.push_back(text);
      } else {
        auto reply = c.request({{"type", "conversation.close"},
                                {"id", next_id()},
                                {"conversation", target}},
                               reply_timeout);
        if (!reply) {
          ack.conversations[target].maybe_closed = true;
          return;
        }
        ASSERT_TRUE(is_ok(reply)) << dump(reply);
        ack.conversations[target].closed = true;
      }
    }
  }

  /// Every acknowledged conversation is listed (open) or not (closed), and
  /// its history holds every acknowledged message exactly once, in order.
  void check_conversations(acknowledged& ack) {
    for (int i = 0; i < customers; ++i) {
      json::object hello;
      auto c = login(role::customer, customer_id(i), &hello);
      ASSERT_TRUE(c.is_open());
      std::multiset<std::string> listed;
      for (const auto& s : hello.at("conversations").as_array())
        listed.insert(str(s.as_object(), "conversation"));
      for (auto& [id, conv] : ack.conversations) {
        if (conv.customer != i)
          continue;
        if (conv.maybe_closed) {
          conv.closed = listed.count(id) == 0;
          conv.maybe_closed = false;
        }
        EXPECT_EQ(listed.count(id), conv.closed ? 0u : 1u)
          << id << (conv.closed ? " was closed" : " is open");
        check_history(c, id, conv);
      }
    }
  }

  void check_history(ws_client& c, const std::string& id,
                     const acknowledged::conversation& conv) {
    auto reply = c.request({{"type", "conversation.history"},
                            {"id", next_id()},
                            {"conversation", id},
                            {"limit", 500}},
                           reply_timeout);
    ASSERT_TRUE(is_ok(reply)) << id << ": " << dump(reply);
    std::vector<std::string> texts;
    std::int64_t last_seq = 0;
    bool closed = false;
    for (const auto& v : reply->at("events").as_array()) {
      const auto& e = v.as_object();
      auto seq = integer(e, "seq").value_or(0);
      EXPECT_GT(seq, last_seq) << id << ": seq repeats or goes back";
      last_seq = seq;
      if (str(e, "type") == "message")
        texts.push_back(str(e, "text"));
      closed = closed || str(e, "type") == "conversation.closed";
    }
    std::set<std::string> unique(texts.begin(), texts.end());
    EXPECT_EQ(unique.size(), texts.size()) << id << ": a message twice";
    // Acknowledged messages appear in the order they were acknowledged;
    // unacknowledged ones may sit between them.
    auto at = texts.begin();
    for (const auto& m : conv.messages) {
      at = std::find(at, texts.end(), m);
      ASSERT_NE(at, texts.end()) << id << ": acknowledged " << m << " lost";
    }
    if (conv.closed) {
      EXPECT_TRUE(closed) << id << ": acknowledged close lost";
    }
  }

  /// The waiting list keeps its order (the order starts were acknowledged)
  /// and every conversation's age.
  void check_waiting_list(const acknowledged& ack) {
    auto alice = login(role::agent, "alice");
    auto reply = alice.request(
      {{"type", "waitlist.list"}, {"id", next_id()}, {"queue", "general"}},
      reply_timeout);
    ASSERT_TRUE(is_ok(reply)) << dump(reply);
    auto now = unix_ms();
    std::vector<std::string> order;
    std::set<std::string> seen;
    for (const auto& v : reply->at("entries").as_array()) {
      const auto& e = v.as_object();
      auto id = str(e, "conversation");
      EXPECT_TRUE(seen.insert(id).second) << id << " waits twice";
      auto i = ack.conversations.find(id);
      if (i == ack.conversations.end())
        continue; // started, never acknowledged: may be there or not
      EXPECT_FALSE(i->second.closed) << id << " was closed";
      order.push_back(id);
      auto waited = integer(e, "waited_ms").value_or(-1);
      EXPECT_GE(waited, now - i->second.started_at - 1000)
        << id << " lost its age";
    }
    std::vector<std::string> expected;
    for (const auto& id : ack.started)
      if (!ack.conversations.at(id).closed)
        expected.push_back(id);
    EXPECT_EQ(order, expected);
  }
};

TEST_F(CrashTest, NothingAcknowledgedIsLostAcrossKills) {
  server_config cfg;
  // One customer keeps many conversations open across the kills.
  cfg.extra_toml = "[limits]\nopen_conversations_per_customer = 10000\n";
  ASSERT_TRUE(start_server(cfg));
  // One assigned conversation, in a queue nobody else uses.
  std::string assigned;
  {
    auto carol = login(role::agent, "carol");
    make_ready(carol);
    auto c = login(role::customer, "crash-assigned");
    assigned = start_conversation(c, "help me", "sales");
    ASSERT_TRUE(accept_offer(carol, assigned));
  }
  acknowledged ack;
  std::mt19937 rng(std::random_device{}());
  int counter = 0;
  for (int round = 0; round < kills; ++round) {
    std::vector<ws_client> clients;
    for (int i = 0; i < customers; ++i)
      clients.push_back(login(role::customer, customer_id(i)));
    auto pid = server().pid();
    std::uniform_int_distribution<int> delay_ms(100, 800);
    std::thread killer([pid, delay = delay_ms(rng)] {
      std::this_thread::sleep_for(milliseconds(delay));
      kill(pid, SIGKILL);
    });
    load(clients, ack, rng, counter);
    killer.join();
    clients.clear();
    ASSERT_TRUE(restart_after_exit()) << "after kill " << round + 1;

    check_conversations(ack);
    check_waiting_list(ack);
    json::object hello;
    auto carol = login(role::agent, "carol", &hello);
    bool found = false;
    for (const auto& s : hello.at("conversations").as_array())
      found = found || str(s.as_object(), "conversation") == assigned;
    EXPECT_TRUE(found) << "carol lost her conversation after kill "
                       << round + 1;
    if (HasFailure())
      break;
  }
  std::size_t messages = 0;
  for (const auto& [id, conv] : ack.conversations)
    messages += conv.messages.size();
  RecordProperty("acknowledged_messages", static_cast<int>(messages));
  EXPECT_GT(ack.conversations.size(), 10u) << "the load was too light";
}

} // namespace
} // namespace baton::e2e
