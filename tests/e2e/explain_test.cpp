// `conversation.explain` over real sockets: why a conversation went to the
// agent it went to, why the first one did not take it, and why nobody could
// take another before its wait ran out; from the live conversation and,
// after a restart, from the store (docs/routing.md, "Why this agent");
// `baton explain` and `baton replay` read the same from the store.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/e2e/server_fixture.hpp"

namespace baton::e2e {
namespace {

using engine::role;

/// `vip` is restricted; the `billing` queue's wait runs out quickly and
/// its agents are Nina (stays not ready), Olga (signs off) and Rita (ready,
/// without `vip`).
constexpr const char* explain_toml = R"(
[[queues]]
id = "billing"
name = "Billing"
wait_timeout_ms = 400

[[topics]]
id = "vip"
name = "VIP"
restricted = true
queue = "billing"

[[agents]]
id = "nina"
name = "Nina"
queues = ["billing"]

[[agents]]
id = "olga"
name = "Olga"
queues = ["billing"]

[[agents]]
id = "rita"
name = "Rita"
queues = ["billing"]
)";

class ExplainTest : public server_test {
protected:
  void SetUp() override {
    server_config c;
    c.extra_toml = explain_toml;
    ASSERT_TRUE(start_server(c));
  }

  std::optional<json::object> ask(ws_client& c, json::object req) {
    req["id"] = next_id();
    return c.request(req, reply_timeout);
  }

  std::optional<json::object> explain(ws_client& who,
                                      const std::string& conversation) {
    return ask(who, {{"type", "conversation.explain"},
                     {"conversation", conversation}});
  }

  static const json::array& steps(const std::optional<json::object>& reply) {
    return reply->at("steps").as_array();
  }

  static std::vector<std::string> kinds(const std::optional<json::object>& r) {
    std::vector<std::string> out;
    for (const auto& s : steps(r))
      out.emplace_back(s.at("step").as_string());
    return out;
  }

  /// Who the grounds passed over, by reason.
  static std::map<std::string, std::string> passed(const json::value& step) {
    std::map<std::string, std::string> out;
    for (const auto& p : step.at("why").at("passed").as_array())
      out[std::string(p.at("agent").as_string())]
        = std::string(p.at("reason").as_string());
    return out;
  }

  /// Alice, the only one ready, is offered it and rejects; Bob, ready
  /// then, takes it.
  std::string rejected_then_taken(ws_client& alice, ws_client& bob,
                                  ws_client& customer) {
    make_ready(alice);
    auto c = start_conversation(customer, "My parcel is late");
    auto offer = alice.wait_for("offer", "conversation", c, reply_timeout);
    EXPECT_TRUE(offer);
    EXPECT_TRUE(is_ok(
      ask(alice, {{"type", "offer.reject"}, {"offer", str(offer, "offer")}})));
    make_ready(bob);
    EXPECT_TRUE(accept_offer(bob, c));
    return c;
  }
};

TEST_F(ExplainTest, TellsWhyTheFirstAgentAndWhyTheOneWhoTookIt) {
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  auto erin = login(role::supervisor, "erin");
  auto c = rejected_then_taken(alice, bob, customer);

  auto r = explain(erin, c);
  ASSERT_TRUE(is_ok(r)) << dump(r);
  EXPECT_EQ(str(r, "conversation"), c);
  EXPECT_EQ(kinds(r),
            (std::vector<std::string>{"queued", "offered", "offer_ended",
                                      "offered", "assigned"}));
  const auto& first = steps(r)[1];
  EXPECT_EQ(first.at("agents").as_array(), json::array{"alice"});
  const auto& why = first.at("why");
  EXPECT_EQ(why.at("strategy"), "longest_idle");
  EXPECT_EQ(why.at("eligible"), 1);
  EXPECT_EQ(why.at("ranked").as_array()[0].at("agent"), "alice");
  EXPECT_EQ(passed(first),
            (std::map<std::string, std::string>{{"bob", "not_ready"}}));
  auto text = std::string(first.at("text").as_string());
  EXPECT_NE(text.find("Offered to alice by longest_idle: idle for"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find("the longest of 1 eligible agent. Passed over: bob (not "
                      "ready)."),
            std::string::npos)
    << text;
  EXPECT_EQ(steps(r)[2].at("text"), "alice rejected it.");
  const auto& second = steps(r)[3];
  EXPECT_EQ(second.at("agents").as_array(), json::array{"bob"});
  EXPECT_EQ(passed(second),
            (std::map<std::string, std::string>{{"alice", "already_tried"}}));
  EXPECT_EQ(steps(r)[4].at("text"), "Assigned to bob.");
}

TEST_F(ExplainTest, IsForSupervisorsAndStaffWhoTookPart) {
  auto alice = login(role::agent, "alice");
  auto bob = login(role::agent, "bob");
  auto customer = login(role::customer, "cust-1");
  auto c = rejected_then_taken(alice, bob, customer);

  EXPECT_TRUE(is_ok(explain(bob, c)));
  auto carol = login(role::agent, "carol");
  EXPECT_EQ(error_code(explain(carol, c)), "forbidden");
  EXPECT_EQ(error_code(explain(customer, c)), "forbidden");
  auto other = login(role::customer, "cust-2");
  EXPECT_EQ(error_code(explain(other, c)), "not_found");
}

TEST_F(ExplainTest, AWaitThatRanOutNamesWhyEachAgentCouldNotTakeIt) {
  auto nina = login(role::agent, "nina");
  auto olga = login(role::agent, "olga");
  make_ready(olga);
  ASSERT_TRUE(
    is_ok(ask(olga, {{"type", "agent.status"}, {"status", "offline"}})));
  auto rita = login(role::agent, "rita");
  make_ready(rita);
  auto customer = login(role::customer, "cust-1");
  auto start = ask(customer, {{"type", "conversation.start"},
                              {"queue", "billing"},
                              {"topic", "vip"},
                              {"text", "About my account"}});
  ASSERT_TRUE(is_ok(start)) << dump(start);
  auto c = str(start, "conversation");
  ASSERT_TRUE(customer.wait_for("conversation.no_agents", "conversation", c,
                                reply_timeout));

  auto erin = login(role::supervisor, "erin");
  auto r = explain(erin, c);
  ASSERT_TRUE(is_ok(r)) << dump(r);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"queued", "wait_expired"}));
  const auto& end = steps(r)[1];
  EXPECT_EQ(end.at("queue"), "billing");
  EXPECT_EQ(end.at("why").at("eligible"), 0);
  EXPECT_EQ(passed(end),
            (std::map<std::string, std::string>{{"nina", "not_ready"},
                                                {"olga", "offline"},
                                                {"rita", "missing_topic"}}));
  auto text = std::string(end.at("text").as_string());
  EXPECT_NE(text.find("No agent could take it."), std::string::npos) << text;
  EXPECT_NE(text.find("rita (not allowed the restricted topic vip)"),
            std::string::npos)
    << text;

  // After a restart the conversation is only in the store: the same story.
  ASSERT_TRUE(server().signal(SIGKILL));
  ASSERT_TRUE(restart_after_exit());
  auto erin_again = login(role::supervisor, "erin");
  auto stored = explain(erin_again, c);
  ASSERT_TRUE(is_ok(stored)) << dump(stored);
  EXPECT_EQ(stored->at("steps"), r->at("steps"));

  // And `baton explain` reads the same story from the store.
  auto printed = command_output(std::string(BATON_BINARY) + " explain --config "
                                + config_path().string() + " --conversation "
                                + c);
  EXPECT_NE(printed.find("wait_expired"), std::string::npos) << printed;
  EXPECT_NE(printed.find("rita (not allowed the restricted topic vip)"),
            std::string::npos)
    << printed;

  // `baton replay` decides it again: the same under this configuration;
  // with vip no longer restricted, Rita could have taken it.
  auto replay = [&](const std::filesystem::path& config) {
    return std::string(BATON_BINARY) + " replay --config " + config.string()
           + " --conversation " + c;
  };
  EXPECT_EQ(command_output(replay(config_path())),
            c + ": 1 decisions replayed, 0 came out otherwise\n");
  EXPECT_EQ(std::system((replay(config_path()) + " > /dev/null").c_str()), 0);
  std::ifstream in(config_path());
  std::string toml((std::istreambuf_iterator<char>(in)), {});
  auto at = toml.find("restricted = true");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, 17, "restricted = false");
  auto open = config_path().parent_path() / "open.toml";
  std::ofstream(open) << toml;
  auto changed = command_output(replay(open));
  EXPECT_NE(changed.find("1 came out otherwise"), std::string::npos) << changed;
  EXPECT_NE(changed.find("1 more agent could take it: topic vip is not "
                         "restricted in this configuration"),
            std::string::npos)
    << changed;
  auto status = std::system((replay(open) + " > /dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

} // namespace
} // namespace baton::e2e
