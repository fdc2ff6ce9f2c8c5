#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "engine/types.hpp"
#include "tests/e2e/ws_client.hpp"
#include "tests/support/server_process.hpp"

/// The fixture of the end-to-end suites: one real `baton` per test, on a
/// temporary configuration, spoken to through real sockets.
namespace baton::e2e {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

/// The real `baton` binary in a child process (tests/support).
using baton_process = test_support::server_process;

/// Deadlines: generous against a loaded CI machine, short against a hang.
inline constexpr milliseconds reply_timeout{3000};
/// How long "nothing else arrives" is watched for.
inline constexpr milliseconds quiet_period{300};

/// The knobs a test may turn; the rest of the configuration is fixed (see
/// server_fixture.cpp: queues `general` and `sales`, agents alice and bob in
/// `general`, carol in `sales`, supervisor erin).
struct server_config {
  int max_frame_bytes = 65536;
  int max_sessions = 200000;
  int max_requests_per_second = 1000;
  std::int64_t max_write_queue_bytes = 1 << 20;
  int drain_timeout_ms = 1000;
  int hello_timeout_ms = 1000;
  int offer_timeout_ms = 1500;
  int position_update_ms = 5000;
  /// routing.passivate_after_ms: how long a waiting conversation stays an
  /// actor with nothing happening.
  int passivate_after_ms = 30000;
  bool allow_anonymous_customers = true;
  /// TOML appended to the file: more sections or tables ([transfer],
  /// [[topics]]...).
  std::string extra_toml;
  /// A PostgreSQL database instead of the SQLite file.
  std::string postgres_url;
  /// `os` survives a crash of Baton, which is what most tests do to it;
  /// a test that crashes the database needs `fsync`.
  std::string durability = "os";
  /// storage.group_commit_ms: how long a change's reply waits for the
  /// others gathered into its commit.
  int group_commit_ms = 0;
  /// server.trusted_proxies, as TOML (`["127.0.0.1"]`); empty: not set.
  std::string trusted_proxies;
};

inline constexpr std::string_view secret = "e2e-secret-4b1d9c-0123456789abcdef";

class server_test : public ::testing::Test {
protected:
  void TearDown() override;

  /// Writes the configuration into a temporary directory and starts
  /// `baton` on a free port. False (with a test failure) when it does not
  /// come up.
  bool start_server(const server_config& c = {});

  /// Waits for `baton` to end (after a signal the test sent it), then
  /// starts it again on the same configuration and data, on a new port.
  /// False (with a test failure) when it does not come back.
  bool restart_after_exit();

  /// Where clients connect: the server's port, or the load balancer's in
  /// front of several (see use_front).
  std::uint16_t port() const {
    return front_port_ != 0 ? front_port_ : server_->port();
  }
  void use_front(std::uint16_t port) {
    front_port_ = port;
  }

  /// Makes the temporary directory and writes the configuration there
  /// (start_server does, then starts `baton` on it).
  void write_config(const server_config& c);
  /// Writes a new configuration over the current one, same data: for a
  /// restart on a changed configuration.
  void rewrite_config(const server_config& c);
  const std::filesystem::path& dir() const {
    return dir_;
  }
  baton_process& server() {
    return *server_;
  }
  const std::filesystem::path& config_path() const {
    return config_path_;
  }

  /// A token signed with the test secret, valid for `ttl_s` seconds (may be
  /// negative: expired).
  static std::string token(engine::role r, std::string_view user,
                           std::int64_t ttl_s = 3600);

  /// A fresh request id: "r1", "r2", ...
  std::string next_id();

  /// A connected WebSocket, not yet authenticated.
  ws_client connect(const connect_options& o = {});

  /// Connected and authenticated with a valid token; `hello_reply` receives
  /// the `ok`. Fails the test (and returns a closed client) otherwise.
  ws_client login(engine::role r, std::string_view user,
                  json::object* hello_reply = nullptr,
                  const connect_options& o = {});

  /// `agent.status` ready, answered `ok`.
  void make_ready(ws_client& agent);

  /// `conversation.start` in `queue`; the conversation id ("" on failure).
  std::string start_conversation(ws_client& customer, std::string_view text,
                                 std::string_view queue = "general");
  /// A bot's `conversation.start` for `customer`, named `name`, with the
  /// bot's first message; the conversation id ("" on failure).
  std::string start_for(ws_client& bot, std::string_view customer,
                        std::string_view name, std::string_view text);

  /// The agent's next offer for `conversation`, accepted; true on `ok`.
  bool accept_offer(ws_client& agent, std::string_view conversation);

  /// The texts of the messages in `conversation`'s history, in order, as
  /// `reader` reads them, every page.
  std::vector<std::string> message_texts(ws_client& reader,
                                         std::string_view conversation);

  /// The value of the series `series` (e.g. `baton_ws_sessions` or
  /// `baton_agents{status="ready"}`) in a fresh `/metrics` scrape.
  std::optional<double> metric(std::string_view series);
  /// The whole `/metrics` body ("" when the scrape fails).
  std::string scrape_metrics();

  /// Polls `/metrics` until `series` satisfies `good`, up to `timeout`.
  bool wait_metric(std::string_view series,
                   const std::function<bool(double)>& good,
                   milliseconds timeout);

private:
  bool spawn(const std::string& listen);

  std::optional<baton_process> server_;
  std::filesystem::path dir_;
  std::filesystem::path config_path_;
  std::uint16_t front_port_ = 0;
  /// Clients on threads of their own take ids too.
  std::atomic<int> ids_{0};
};

// -- reading frames -----------------------------------------------------------

/// The frame as JSON text, for failure messages ("<none>" when absent).
/// What the shell command `command` prints to stdout.
std::string command_output(const std::string& command);

std::string dump(const std::optional<json::object>& frame);
std::string dump(const json::object& frame);
/// Whether a `hello` reply (or a list) has `conversation` among its
/// `conversations`.
bool lists(const json::object& reply, std::string_view conversation);

/// `field` as a string, or "" when absent or not a string.
std::string str(const json::object& frame, std::string_view field);
std::string str(const std::optional<json::object>& frame,
                std::string_view field);
/// `field` as an integer, or nothing.
std::optional<std::int64_t> integer(const json::object& frame,
                                    std::string_view field);

/// Whether `frame` is an `ok` reply; an `error` reply's `code`, "" for ok,
/// "<none>" without a frame.
bool is_ok(const std::optional<json::object>& frame);
std::string error_code(const std::optional<json::object>& frame);

/// The series `series` in Prometheus text `body`.
std::optional<double> find_metric(std::string_view body,
                                  std::string_view series);

} // namespace baton::e2e
