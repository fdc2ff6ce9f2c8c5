// The shards spread over three nodes (cluster.spread): each node serves its
// share and takes clients for all, so a conversation goes through whatever
// nodes hold its customer, its agent and itself, and a node killed under
// them hands its shards to the others, whose directories bring its
// conversations back (docs/cluster.md, "Spreading the shards").

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/cluster/shards.hpp"
#include "engine/ids.hpp"
#include "engine/storage/postgres_leases.hpp"
#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;

/// What `command` writes to its standard output.
std::string output_of(const std::string& command) {
  std::string out;
  if (FILE* f = popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer{};
    while (auto n = std::fread(buffer.data(), 1, buffer.size(), f))
      out.append(buffer.data(), n);
    pclose(f);
  }
  return out;
}

/// The local and the peer address:port of a socket as `ss -Htn` lists it
/// (Recv-Q, Send-Q, local, peer, ...).
std::pair<std::string, std::string> ends_of(const std::string& line) {
  std::istringstream in(line);
  std::string recv_q, send_q, local, peer;
  in >> recv_q >> send_q >> local >> peer;
  return {local, peer};
}

std::string port_of(const std::string& address) {
  return address.substr(address.rfind(':') + 1);
}

/// Spread over three nodes; Dora serves general and billing, whose shards
/// (11 and 12) fall to different nodes: each claims the lowest free shards
/// up to its share, six, six and four of sixteen. Sam, Sue and Ted
/// supervise, as Erin does.
constexpr const char* spread_toml = R"(spread = true
expected_nodes = 3

[[queues]]
id = "billing"
name = "Billing"

[[agents]]
id = "dora"
name = "Dora"
queues = ["general", "billing"]
capacity = 2

[[agents]]
id = "sam"
roles = ["supervisor"]

[[agents]]
id = "sue"
roles = ["supervisor"]

[[agents]]
id = "ted"
roles = ["supervisor"]
)";

class SpreadTest : public cluster_test {
protected:
  void SetUp() override {
    relay_ = true; // each node takes the others' calls (cluster.listen)
    more_toml_ = spread_toml;
    cluster_test::SetUp();
  }

  /// The three nodes up, each told the table of holders.
  void start_three() {
    for (std::size_t i = 0; i < node_count; ++i)
      ASSERT_TRUE(start_node(i));
    for (std::size_t i = 0; i < node_count; ++i)
      ASSERT_TRUE(
        node(i).wait_log("the directories' table told", takeover_timeout))
        << node(i).log_tail();
  }

  /// The node holding `id`'s shard, as the database says: a queue's, a
  /// conversation's or an agent's actor runs there.
  std::size_t owner_of(std::string_view id) {
    engine::storage::postgres_leases leases(
      database_url(), engine::storage::postgres_leases::access::tables_exist);
    auto shard = engine::cluster::shard_of(id, shard_count);
    for (const auto& s : leases.shards())
      for (std::size_t i = 0; i < node_count; ++i)
        if (s.shard == shard && s.owner == node_id(i))
          return i;
    ADD_FAILURE() << "no node holds the shard of " << id;
    return 0;
  }

  /// Where the inbox of `user` in role `r` is made, and her sessions meet.
  std::size_t owner_of(role r, std::string_view user) {
    return owner_of(engine::user_key(r, std::string{user}));
  }

  /// Each node's cluster port, as it published it.
  std::vector<std::string> cluster_ports() {
    std::vector<std::string> ports(node_count);
    engine::storage::postgres_leases leases(
      database_url(), engine::storage::postgres_leases::access::tables_exist);
    for (const auto& m : leases.members())
      for (std::size_t i = 0; i < node_count; ++i)
        if (m.node == node_id(i))
          ports[i] = port_of(m.address);
    return ports;
  }

  /// An `ss` filter matching each TCP link open now between node `a` and
  /// any of `others`: a socket of one to the other's cluster port, matched
  /// by both its ends; nothing else on the loopback. Empty: none listed.
  std::string links_between(std::size_t a,
                            const std::vector<std::size_t>& others,
                            const std::vector<std::string>& ports) {
    auto listed = output_of("ss -Htnp state established");
    std::string links;
    auto add = [&](std::size_t from, std::size_t to) {
      auto pid = "pid=" + std::to_string(node(from).pid()) + ",";
      std::istringstream in(listed);
      for (std::string line; std::getline(in, line);) {
        auto [local, peer] = ends_of(line);
        if (line.find(pid) == std::string::npos || port_of(peer) != ports[to])
          continue;
        links += (links.empty() ? "" : " or ")
                 + ("( src " + local + " and dst " + peer + " ) or ( src "
                    + peer + " and dst " + local + " )");
      }
    };
    for (auto b : others) {
      add(a, b);
      add(b, a);
    }
    return links;
  }

  /// Resets the links `links` matches (both ends); whether none is left.
  static bool reset(const std::string& links) {
    output_of("ss -K -tn '( " + links + " )' 2>&1");
    return output_of("ss -Htn state established '( " + links + " )'").empty();
  }

  /// Resets `links` once; why it cannot be done here, if it cannot.
  static std::string cannot_cut(const std::string& links) {
    if (links.empty())
      return "ss -p does not list the nodes' sockets here";
    if (!reset(links))
      return "ss -K cannot reset sockets here (CAP_NET_ADMIN, a kernel with "
             "INET_DIAG_DESTROY)";
    return {};
  }

  /// Ann, logged in at node `i` until her `hello` lists `chat`, is answered
  /// there in it: what she says joins `said`, all of it kept.
  void expect_ann_answered_at(std::size_t i, const std::string& chat,
                              std::vector<std::string> said) {
    json::object hello;
    auto again = login_until_listed(i, "ann", chat, hello);
    ASSERT_TRUE(lists(hello, chat)) << dump(hello) << node(i).log_tail();
    ASSERT_TRUE(is_ok(ask(again, {{"type", "message.send"},
                                  {"conversation", chat},
                                  {"text", "still there?"}})));
    said.push_back("still there?");
    EXPECT_EQ(message_texts(again, chat), said);
  }

  /// Resets each link between node `a` and `others` as soon as it is made
  /// again (the nodes tell their tables again to reach each other), until
  /// the thread returned goes: a cut that lasts.
  std::jthread keep_cut(std::size_t a, std::vector<std::size_t> others,
                        std::vector<std::string> ports) {
    return std::jthread([this, a, others = std::move(others),
                         ports = std::move(ports)](std::stop_token stop) {
      while (!stop.stop_requested()) {
        if (auto links = links_between(a, others, ports); !links.empty())
          reset(links);
        std::this_thread::sleep_for(milliseconds(20));
      }
    });
  }

  /// `user` logged in at node `i`, asked again while its directory has not
  /// learnt every queue and agent yet ("this node is starting") or while
  /// the holder of `user` is moving after a kill.
  ws_client login_when_ready(std::size_t i, role r, std::string_view user,
                             json::object* hello_reply = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    for (;;) {
      ws_client c;
      if (c.connect(node_port(i))) {
        auto reply = c.request({{"type", "hello"},
                                {"id", next_id()},
                                {"role", std::string(engine::to_string(r))},
                                {"user", std::string(user)},
                                {"token", token(r, user)}},
                               reply_timeout);
        if (is_ok(reply)) {
          if (hello_reply != nullptr)
            *hello_reply = *reply;
          return c;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ADD_FAILURE() << user << " cannot log in at " << node_id(i);
        return ws_client{};
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  /// Customer `user` logged in at node `i` again and again until her
  /// `hello` lists `chat` (its shard's new owner brought it back), or the
  /// takeover timeout passed; `hello` holds the last reply.
  ws_client login_until_listed(std::size_t i, std::string_view user,
                               const std::string& chat, json::object& hello) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    for (;;) {
      auto c = login_when_ready(i, role::customer, user, &hello);
      if (lists(hello, chat) || std::chrono::steady_clock::now() >= deadline)
        return c;
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
};

TEST_F(SpreadTest, EachNodeServesItsShareAndAConversationCrossesThem) {
  start_three();
  double total = 0;
  for (std::size_t i = 0; i < node_count; ++i) {
    auto held = shards_held(i);
    EXPECT_GT(held, 0) << node_id(i) << " serves a share";
    total += held;
  }
  EXPECT_EQ(total, shard_count) << "every shard has one owner";
  auto status = cluster_status();
  for (std::size_t i = 0; i < node_count; ++i)
    EXPECT_NE(status.find(node_id(i) + "  serves "), std::string::npos)
      << status;

  // Ann on a node that does not hold her; Alice with a session on each of
  // the two nodes that do not hold her.
  auto ann_home = owner_of(role::customer, "ann");
  auto alice_home = owner_of("alice");
  auto ann = login_when_ready((ann_home + 1) % node_count, role::customer,
                              "ann");
  auto alice = login_when_ready((alice_home + 1) % node_count, role::agent,
                                "alice");
  auto alice_too = login_when_ready((alice_home + 2) % node_count, role::agent,
                                    "alice");
  make_ready(alice);

  auto chat = start_conversation(ann, "where is my parcel?");
  ASSERT_FALSE(chat.empty());
  EXPECT_EQ(owner_of(chat), ann_home) << "in its customer's shard";
  ASSERT_TRUE(accept_offer(alice_too, chat))
    << "the offer reaches both of her sessions";
  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "order 42"}})));
  EXPECT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout));
  EXPECT_TRUE(alice_too.wait_for("message", "text", "order 42", reply_timeout));
  ASSERT_TRUE(is_ok(ask(alice, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "looking now"}})));
  EXPECT_TRUE(ann.wait_for("message", "text", "looking now", reply_timeout));

  ASSERT_TRUE(is_ok(
    ask(alice, {{"type", "conversation.close"}, {"conversation", chat}})));
  EXPECT_TRUE(
    ann.wait_for("conversation.closed", "conversation", chat, reply_timeout));
  EXPECT_EQ(message_texts(ann, chat),
            (std::vector<std::string>{"where is my parcel?", "order 42",
                                      "looking now"}));
}

TEST_F(SpreadTest, AKilledOwnersConversationsAnswerThroughTheOthers) {
  start_three();
  auto doomed = owner_of(role::customer, "ann");
  // Both on nodes that live on; Alice's own holder may be the one killed.
  auto ann = login_when_ready((doomed + 1) % node_count, role::customer, "ann");
  auto alice = login_when_ready((doomed + 2) % node_count, role::agent,
                                "alice");
  make_ready(alice);
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());
  ASSERT_TRUE(accept_offer(alice, chat));
  ASSERT_TRUE(is_ok(ask(ann, {{"type", "message.send"},
                              {"conversation", chat},
                              {"text", "order 42"}})));
  ASSERT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout));

  ASSERT_TRUE(node(doomed).signal(SIGKILL));

  // Her inbox went with its node: she logs in again where she was, and
  // finds the conversation once its shard's new owner brought it back.
  json::object hello;
  auto again = login_until_listed((doomed + 1) % node_count, "ann", chat,
                                  hello);
  ASSERT_TRUE(lists(hello, chat)) << dump(hello);
  EXPECT_NE(owner_of(chat), doomed);
  ASSERT_TRUE(is_ok(ask(again, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "still there?"}})));
  EXPECT_EQ(
    message_texts(again, chat),
    (std::vector<std::string>{"my order is late", "order 42", "still there?"}))
    << "nothing acknowledged is lost";

  // Alice, told to reconnect if her holder went too, is still in it.
  auto alice_again = login_when_ready((doomed + 2) % node_count, role::agent,
                                      "alice", &hello);
  EXPECT_TRUE(lists(hello, chat)) << "still assigned: " << dump(hello);
  ASSERT_TRUE(is_ok(ask(again, {{"type", "message.send"},
                                {"conversation", chat},
                                {"text", "thanks"}})));
  EXPECT_TRUE(alice_again.wait_for("message", "text", "thanks", reply_timeout));

  double total = 0;
  for (std::size_t i = 0; i < node_count; ++i)
    if (i != doomed)
      total += shards_held(i);
  EXPECT_EQ(total, shard_count) << "the survivors hold every shard";
}

// Alice's actor runs at her shard's holder; her only session is at
// another node, which is killed: it sends no detach, so her actor watches
// that node's hub and, seeing it go down, counts her as not connected
// (and offline once the grace runs out), rather than as connected for good.
TEST_F(SpreadTest, AnAgentWhoseSessionsNodeDiesIsNoLongerAvailable) {
  start_three();
  auto home = owner_of("alice");
  auto doomed = (home + 1) % node_count;
  auto alice = login_when_ready(doomed, role::agent, "alice");
  make_ready(alice);
  // `general`'s row as a supervisor sees it, logged in at alice's holder
  // once: one whose inbox is held by a node that lives on.
  std::string watcher;
  for (const auto* s : {"sam", "sue", "ted"})
    if (watcher.empty() && owner_of(role::supervisor, s) != doomed)
      watcher = s;
  ASSERT_FALSE(watcher.empty()) << "every supervisor is held by the doomed";
  auto supervisor = login_when_ready(home, role::supervisor, watcher);
  auto available = [&]() -> std::optional<std::int64_t> {
    auto queues = ask(supervisor, {{"type", "queue.list"}});
    if (!is_ok(queues))
      return std::nullopt;
    for (const auto& q : queues->at("queues").as_array())
      if (str(q.as_object(), "queue") == "general")
        return integer(q.as_object(), "agents_available");
    return std::nullopt;
  };
  auto becomes = [&](std::int64_t count) {
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    while (available() != count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(milliseconds(50));
    return available() == count;
  };
  ASSERT_TRUE(becomes(1)) << "alice is not available to begin with";

  ASSERT_TRUE(node(doomed).signal(SIGKILL));
  ASSERT_TRUE(node(doomed).wait_exit(milliseconds(5000)));
  EXPECT_TRUE(becomes(0)) << "alice is still connected at " << node_id(home)
                          << "\n"
                          << node(home).log_tail();
}

// Dora has a session on two nodes and both accept every offer they see,
// from two queues on two other nodes, as two desktops racing would: each
// offer is taken once, and she never holds more than her capacity.
TEST_F(SpreadTest, AnAgentOfferedByQueuesOnTwoNodesNeverExceedsHerCapacity) {
  start_three();
  ASSERT_NE(owner_of("general"), owner_of("billing"));
  auto dora_home = owner_of("dora");
  std::array<ws_client, 2> desktops{
    login_when_ready((dora_home + 1) % node_count, role::agent, "dora"),
    login_when_ready((dora_home + 2) % node_count, role::agent, "dora")};
  make_ready(desktops[0]);
  // Six customers on every node, half for each queue, for her two slots.
  constexpr std::size_t capacity = 2;
  std::vector<ws_client> customers;
  auto race = race_for_offers(desktops, 2 * capacity, [&] {
    for (std::size_t i = 0; i < 6; ++i) {
      customers.push_back(login_when_ready(i % node_count, role::customer,
                                           "cust" + std::to_string(i)));
      EXPECT_FALSE(start_conversation(customers.back(), "hello",
                                      i % 2 == 0 ? "general" : "billing")
                     .empty());
    }
  });
  expect_taken_once(race, capacity);
  auto mine = ask(desktops[1], {{"type", "conversation.list"}});
  ASSERT_TRUE(is_ok(mine)) << dump(mine);
  EXPECT_EQ(mine->at("conversations").as_array().size(), capacity);
}

TEST_F(SpreadTest, ADrainedOwnerHandsItsShardsToTheOthers) {
  start_three();
  auto leaving = owner_of(role::customer, "ann");
  auto ann = login_when_ready((leaving + 1) % node_count, role::customer,
                              "ann");
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());

  ASSERT_TRUE(node(leaving).signal(SIGTERM));
  auto status = node(leaving).wait_exit(takeover_timeout);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_NE(node(leaving).log().find("shards handed over"), std::string::npos)
    << node(leaving).log_tail();

  expect_ann_answered_at((leaving + 1) % node_count, chat,
                         {"my order is late"});
}

// A supervisor subscribed at her node sees the agents and conversations
// the others run (docs/cluster.md, "Supervision across nodes").
TEST_F(SpreadTest, ASupervisorSeesWhatEveryNodeRuns) {
  start_three();
  // A supervisor and an agent general offers to, on different nodes (an
  // agent's actor runs in the shard of its id, a user's inbox in that of
  // its key).
  std::string supervisor;
  std::string agent;
  for (const auto* s : {"erin", "sam", "sue", "ted"})
    for (const auto* a : {"alice", "bob", "dora"})
      if (supervisor.empty() && owner_of(role::supervisor, s) != owner_of(a)) {
        supervisor = s;
        agent = a;
      }
  ASSERT_FALSE(supervisor.empty()) << "all on one node";
  auto home = owner_of(role::supervisor, supervisor);
  std::string customer;
  for (int n = 0; customer.empty(); ++n)
    if (auto name = "cust-" + std::to_string(n);
        owner_of(role::customer, name) != home)
      customer = name;

  auto erin = login_when_ready(home, role::supervisor, supervisor);
  ASSERT_TRUE(is_ok(ask(erin, {{"type", "supervise.subscribe"}})));
  auto desk = login_when_ready(home, role::agent, agent);
  make_ready(desk);
  EXPECT_TRUE(erin.wait_for(
    [&](const json::object& f) {
      return str(f, "type") == "agent.updated" && str(f, "agent") == agent
             && str(f, "status") == "ready";
    },
    reply_timeout))
    << agent << " runs on " << node_id(owner_of(agent));

  auto c = login_when_ready(home, role::customer, customer);
  auto chat = start_conversation(c, "hello");
  ASSERT_FALSE(chat.empty());
  ASSERT_TRUE(accept_offer(desk, chat));
  EXPECT_TRUE(erin.wait_for(
    [&](const json::object& f) {
      return str(f, "type") == "conversation.updated"
             && str(f, "conversation") == chat && str(f, "state") == "assigned"
             && str(f, "assignee") == agent;
    },
    reply_timeout))
    << chat << " runs on " << node_id(owner_of(chat));
}

// The links between one node and the others break while it lives and
// reaches PostgreSQL (their sockets reset): no newer table would come while
// its lease lives, and the others would answer "moving" for its shards for
// ever. Both vote it down; it renews no more, stops before its lease runs
// out (exit 75), and its shards move: its conversation answers again.
TEST_F(SpreadTest, ANodeCutOffFromTheOthersIsVotedDownAndItsShardsMove) {
  start_three();
  auto cut = owner_of(role::customer, "ann");
  auto ann = login_when_ready((cut + 1) % node_count, role::customer, "ann");
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());
  ASSERT_EQ(owner_of(chat), cut) << "on her own shard's node";

  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < node_count; ++i)
    if (i != cut)
      others.push_back(i);
  auto ports = cluster_ports();
  auto links = links_between(cut, others, ports);
  if (auto why = cannot_cut(links); !why.empty())
    GTEST_SKIP() << why;
  std::optional<int> status;
  {
    auto lasting = keep_cut(cut, others, ports);
    status = node(cut).wait_exit(takeover_timeout);
  }
  ASSERT_TRUE(status.has_value()) << node(cut).log_tail();
  EXPECT_EQ(*status, 75) << "stopped by its lease\n" << node(cut).log_tail();
  for (std::size_t i = 0; i < node_count; ++i) {
    if (i == cut)
      continue;
    EXPECT_FALSE(node(i).wait_exit(milliseconds{0}).has_value())
      << node_id(i) << " was not to be voted down\n"
      << node(i).log_tail();
  }
  double deciding = 0;
  for (std::size_t i = 0; i < node_count; ++i)
    if (auto scrape = i == cut ? std::nullopt
                               : http_get(node_port(i), "/metrics"))
      deciding += find_metric(scrape->body, "baton_cluster_votes_down_total")
                    .value_or(0);
  EXPECT_EQ(deciding, 1) << "one vote took it down, the second of two";
  json::object hello;
  auto again = login_until_listed((cut + 1) % node_count, "ann", chat, hello);
  ASSERT_TRUE(lists(hello, chat)) << dump(hello);
  EXPECT_NE(owner_of(chat), cut);
  EXPECT_EQ(message_texts(again, chat),
            (std::vector<std::string>{"my order is late"}));
}

// The link between two of three nodes breaks once (its sockets reset),
// while both reach each other's ports and PostgreSQL: one vote of two each
// takes neither down, and no newer table comes while their leases live.
// Each tells its table again over a new link, so a customer at one reaches
// her inbox and her conversation at the other again.
TEST_F(SpreadTest, ALinkBetweenTwoNodesThatBrokeOnceHeals) {
  start_three();
  auto home = owner_of(role::customer, "ann");
  auto at = (home + 1) % node_count;
  auto ann = login_when_ready(at, role::customer, "ann");
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());
  ASSERT_EQ(owner_of(chat), home) << "on her own shard's node";

  auto links = links_between(home, {at}, cluster_ports());
  if (auto why = cannot_cut(links); !why.empty())
    GTEST_SKIP() << why;
  ASSERT_TRUE(node(at).wait_log("telling the table again", takeover_timeout))
    << node(at).log_tail();
  expect_ann_answered_at(at, chat, {"my order is late"});
  EXPECT_EQ(owner_of(chat), home) << "nothing moved";
  for (std::size_t i = 0; i < node_count; ++i)
    EXPECT_FALSE(node(i).wait_exit(milliseconds{0}).has_value())
      << node_id(i) << " was not to be voted down\n"
      << node(i).log_tail();
}

// The link between two of three nodes breaks and stays broken, while each
// reaches the third and PostgreSQL: one vote of two each is no majority
// either way, so once both votes lasted, the node voted against first goes
// down (exit 75), and only it. Its shards move, and a customer at the
// third node is answered in her conversation.
TEST_F(SpreadTest, OfTwoNodesCutOffFromEachOtherOnlyOneGoes) {
  start_three();
  auto home = owner_of(role::customer, "ann");
  auto at = (home + 1) % node_count;
  auto third = (home + 2) % node_count;
  auto ann = login_when_ready(third, role::customer, "ann");
  auto chat = start_conversation(ann, "my order is late");
  ASSERT_FALSE(chat.empty());

  auto ports = cluster_ports();
  auto links = links_between(home, {at}, ports);
  if (auto why = cannot_cut(links); !why.empty())
    GTEST_SKIP() << why;
  std::optional<std::size_t> gone;
  // `baton cluster status` says so on home's line while the cut lasts.
  auto status_says_cut = [&] {
    auto text = cluster_status();
    auto start = text.find("\n" + node_id(home) + " ");
    auto line = start == std::string::npos
                  ? std::string{}
                  : text.substr(start, text.find('\n', start + 1) - start);
    return line.find("cut off from " + node_id(at)) != std::string::npos;
  };
  bool status_said = false;
  {
    auto lasting = keep_cut(home, {at}, ports);
    auto deadline = std::chrono::steady_clock::now() + takeover_timeout;
    while (!gone && std::chrono::steady_clock::now() < deadline) {
      for (auto i : {home, at})
        if (node(i).wait_exit(milliseconds{0}))
          gone = i;
      status_said = status_said || status_says_cut();
      std::this_thread::sleep_for(milliseconds(50));
    }
  }
  ASSERT_TRUE(gone.has_value()) << "nobody went\n"
                                << node(home).log_tail() << node(at).log_tail();
  EXPECT_TRUE(status_said) << "baton cluster status never said "
                           << node_id(home) << " was cut off from "
                           << node_id(at);
  EXPECT_EQ(node(*gone).wait_exit(milliseconds{0}), 75)
    << "stopped by its lease\n"
    << node(*gone).log_tail();
  for (auto i : {home, at, third}) {
    if (i != *gone) {
      EXPECT_FALSE(node(i).wait_exit(milliseconds{0}).has_value())
        << node_id(i) << " was not to be voted down\n"
        << node(i).log_tail();
    }
  }
  expect_ann_answered_at(third, chat, {"my order is late"});
}

// A node drained and started again holds nothing at first: the others,
// each past its share, give the excess up, and it claims it. A
// conversation in every shard keeps all it had through both moves.
TEST_F(SpreadTest, ANodeStartedAgainTakesItsShareFromTheOthers) {
  start_three();
  std::vector<std::string> customers(shard_count);
  for (int n = 0, covered = 0; covered < static_cast<int>(shard_count); ++n) {
    auto name = "cust-" + std::to_string(n);
    auto& slot = customers[engine::cluster::shard_of(
      engine::user_key(role::customer, name), shard_count)];
    if (slot.empty()) {
      slot = name;
      ++covered;
    }
  }
  std::vector<std::string> chats;
  for (const auto& name : customers) {
    auto c = login_when_ready(0, role::customer, name);
    chats.push_back(start_conversation(c, "hello from " + name));
    ASSERT_FALSE(chats.back().empty()) << name;
  }

  const std::size_t back = 1;
  ASSERT_TRUE(node(back).signal(SIGTERM));
  ASSERT_TRUE(node(back).wait_exit(takeover_timeout).has_value());
  ASSERT_TRUE(start_node(back));
  ASSERT_TRUE(wait_share_of(back)) << node(back).log_tail();
  double given_up = 0;
  for (std::size_t i = 0; i < node_count; ++i)
    if (auto scrape = http_get(node_port(i), "/metrics"))
      given_up += find_metric(scrape->body,
                              "baton_cluster_shards_given_up_total")
                    .value_or(0);
  EXPECT_EQ(given_up, shards_held(back)) << "what it holds, the others gave";
  // Each of the two others topped up to eight while it was away and gave
  // two back: a share of six each, the rest its.
  EXPECT_EQ(shards_held(back), shard_count - 2 * 6);
  for (std::size_t i = 0; i < node_count; ++i)
    EXPECT_FALSE(node(i).wait_exit(milliseconds{0}).has_value())
      << node_id(i) << " stopped: a write fenced after the release?\n"
      << node(i).log_tail();

  std::size_t moved_back = 0;
  for (std::size_t at = 0; at < customers.size(); ++at) {
    json::object hello;
    auto c = login_until_listed(2, customers[at], chats[at], hello);
    ASSERT_TRUE(lists(hello, chats[at])) << customers[at] << " " << dump(hello);
    moved_back += owner_of(chats[at]) == back ? 1 : 0;
    ASSERT_TRUE(is_ok(ask(c, {{"type", "message.send"},
                              {"conversation", chats[at]},
                              {"text", "still there?"}})));
    EXPECT_EQ(
      message_texts(c, chats[at]),
      (std::vector<std::string>{"hello from " + customers[at], "still there?"}))
      << "nothing acknowledged is lost";
  }
  EXPECT_EQ(static_cast<double>(moved_back), shards_held(back))
    << "one conversation in each shard it took";
}

} // namespace
} // namespace baton::cluster_tests
