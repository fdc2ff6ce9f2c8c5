// Mutual TLS on the cluster port: nodes holding certificates of the
// cluster's CA relay to each other as over plain TCP; a node whose
// certificate that CA did not sign, or that speaks plain TCP, is refused
// and takes no client; bad files stop a node at its start
// (docs/cluster.md, "The cluster port").

#include <cstdlib>
#include <filesystem>

#include "tests/cluster/cluster_fixture.hpp"

namespace baton::cluster_tests {
namespace {

using engine::role;
namespace fs = std::filesystem;

/// Runs `command` in a shell; true when it exits 0. Its output goes to
/// `log`, for the failure message.
bool run(const std::string& command, const fs::path& log) {
  auto line = command + " >>" + log.string() + " 2>&1";
  return std::system(line.c_str()) == 0;
}

/// A CA (`name`.pem) and a node certificate it signed (`name`-node.pem,
/// `name`-node.key), made with the openssl command in `dir`.
bool make_ca_and_node(const fs::path& dir, const std::string& name) {
  auto at = [&](const std::string& file) { return (dir / file).string(); };
  auto log = dir / "openssl.log";
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  return run("openssl req -x509" + key + " -keyout " + at(name + ".key")
               + " -out " + at(name + ".pem") + " -days 2 -subj /CN=" + name,
             log)
         && run("openssl req" + key + " -keyout " + at(name + "-node.key")
                  + " -out " + at(name + "-node.csr") + " -subj /CN=node",
                log)
         && run("openssl x509 -req -in " + at(name + "-node.csr") + " -CA "
                  + at(name + ".pem") + " -CAkey " + at(name + ".key")
                  + " -CAcreateserial -days 2 -out " + at(name + "-node.pem"),
                log);
}

class ClusterTlsTest : public cluster_test {
protected:
  void SetUp() override {
    relay_ = true;
    cluster_test::SetUp();
    tls_dir_ = dir() / "tls";
    fs::create_directories(tls_dir_);
    ASSERT_TRUE(make_ca_and_node(tls_dir_, "cluster")
                && make_ca_and_node(tls_dir_, "stranger"))
      << "the openssl command (scripts/setup.sh installs it):\n"
      << command_output("cat " + (tls_dir_ / "openssl.log").string());
  }

  /// The nodes started from now on present `name`'s node certificate and
  /// trust the cluster's CA.
  void present(const std::string& name) {
    more_env_
      = {"BATON_CLUSTER_TLS_CERTIFICATE="
           + (tls_dir_ / (name + "-node.pem")).string(),
         "BATON_CLUSTER_TLS_KEY=" + (tls_dir_ / (name + "-node.key")).string(),
         "BATON_CLUSTER_TLS_CA=" + (tls_dir_ / "cluster.pem").string()};
  }

  /// n1 serves over TLS.
  void start_serving() {
    present("cluster");
    ASSERT_TRUE(start_node(0));
    ASSERT_TRUE(node(0).wait_log("this node serves now", takeover_timeout))
      << node(0).log_tail();
    EXPECT_TRUE(node(0).wait_log("tls=1", milliseconds(0)))
      << node(0).log_tail();
  }

  /// Node `i` finds the serving node but cannot reach its core, and opens
  /// no port to clients.
  void refused(std::size_t i) {
    EXPECT_TRUE(node(i).wait_log("cannot reach the serving node's core",
                                 takeover_timeout))
      << node(i).log_tail();
    EXPECT_FALSE(
      node(i).wait_log("relaying to the serving node", milliseconds(0)));
    ws_client c;
    EXPECT_FALSE(c.connect(node_port(i))) << node_id(i) << " takes clients";
  }

  fs::path tls_dir_;
};

TEST_F(ClusterTlsTest, NodesOfTheClusterCaRelayOverTls) {
  start_serving();
  ASSERT_TRUE(start_node(1));
  ASSERT_TRUE(
    node(1).wait_log("relaying to the serving node", takeover_timeout))
    << node(1).log_tail();
  auto alice = login_at(0, role::agent, "alice");
  make_ready(alice);
  auto ann = login_at(1, role::customer, "ann");
  auto chat = start_conversation(ann, "hello over TLS");
  ASSERT_FALSE(chat.empty());
  ASSERT_TRUE(accept_offer(alice, chat));
  auto reply = ann.request({{"type", "message.send"},
                            {"id", next_id()},
                            {"conversation", chat},
                            {"text", "order 42"}},
                           reply_timeout);
  ASSERT_TRUE(is_ok(reply)) << dump(reply);
  EXPECT_TRUE(alice.wait_for("message", "text", "order 42", reply_timeout));
}

TEST_F(ClusterTlsTest, ANodeWithoutACertificateOfTheClusterCaIsRefused) {
  start_serving();
  present("stranger");
  ASSERT_TRUE(start_node(1));
  refused(1);
  more_env_.clear(); // plain TCP
  ASSERT_TRUE(start_node(2));
  refused(2);
}

TEST_F(ClusterTlsTest, ANodeWhoseKeyIsNotItsCertificatesDoesNotStart) {
  present("cluster");
  more_env_[1] = "BATON_CLUSTER_TLS_KEY="
                 + (tls_dir_ / "stranger-node.key").string();
  ASSERT_TRUE(start_node(0));
  auto status = node(0).wait_exit(takeover_timeout);
  ASSERT_TRUE(status.has_value()) << node(0).log_tail();
  EXPECT_EQ(*status, 1);
  EXPECT_TRUE(
    node(0).wait_log("cannot use the cluster's TLS files", milliseconds(0)))
    << node(0).log_tail();
}

} // namespace
} // namespace baton::cluster_tests
