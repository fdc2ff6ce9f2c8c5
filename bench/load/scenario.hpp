#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// What baton-load does: a scenario from a TOML file, flags on top. Every
/// field has a default that runs a small closed-loop test against a spawned
/// server; docs/benchmarks.md ("baton-load") lists them.
namespace baton::bench {

using std::chrono::milliseconds;

enum class load_mode : std::uint8_t {
  conversations, ///< customers and agents over the Baton protocol
  echo,          ///< frames bounced off baton-echo: the socket layer alone
  idle_sessions, ///< open sessions that only say hello, then weigh the server
};

struct scenario {
  // Target: --spawn, or --url with --config.
  bool spawn = false;
  std::string url;           ///< ws://host:port/v1/ws
  std::string config_path;   ///< the server's configuration: agents, secret
  std::string server_binary; ///< empty: `baton` (or `baton-echo`) beside us

  // A spawned server's roster and threads.
  int agents = 50;
  int agent_capacity = 4;
  int supervisors = 0; ///< sessions that subscribe to every queue's stats
  int queues = 1;
  int server_threads = 0;         ///< 0: one per core
  std::string storage = "memory"; ///< memory or sqlite (in the temp dir)
  std::string durability = "os";  ///< sqlite: fsync or os

  // Load.
  load_mode mode = load_mode::conversations;
  double rate = 0;       ///< new conversations/s; 0: closed loop
  int concurrency = 100; ///< closed loop: customers at once; open: the cap
  int messages = 5;      ///< customer messages per conversation, each answered
  double transfer_share = 0;
  double conference_share = 0;
  double whisper_share = 0;
  milliseconds accept_think{0};   ///< agent: offer seen → offer.accept
  milliseconds reply_think{0};    ///< agent: message seen → answer
  milliseconds customer_think{0}; ///< customer: answer seen → next message
  milliseconds conversation_timeout{10000};
  double duration_s = 10;
  double ramp_up_s = 0;
  int sources = 4; ///< 127.0.0.1 .. 127.0.0.<sources>
  int threads = 1; ///< load-generator threads, one io_context each

  // Echo mode: frames in flight per connection (connections = concurrency).
  int echo_window = 1;
  int frame_bytes = 120; ///< echo frames, roughly a message.send

  int idle_sessions = 0; ///< idle_sessions mode: how many

  // Beside the conversations: customer sessions that read the history of
  // conversation ids nobody holds, for the whole run (history_flood.hpp).
  int history_flood = 0;   ///< such sessions; 0: none
  int history_window = 4;  ///< reads in flight per session
  double history_rate = 0; ///< reads/s per session; 0: as the window allows

  bool json = false;
  bool progress = true;
  std::string timeline; ///< a row every timeline_s to this file; "": none
  double timeline_s = 10;

  /// What set the values above: the --scenario file (empty: none), and the
  /// settings the file or a flag gave ("[load] concurrency" as
  /// "load.concurrency"), so that defaults can fit a target's centre
  /// without overriding what was asked for.
  std::string scenario_file;
  std::vector<std::string> given;

  bool was_given(std::string_view section_key) const;
};

struct scenario_result {
  std::optional<scenario> value; ///< set exactly when `errors` is empty
  std::vector<std::string> errors;
  bool help = false; ///< --help was asked for
};

/// Reads a scenario file's text onto `base`. Unknown keys, wrong types and
/// values out of range are errors naming `source_name`, the line and the key.
scenario_result parse_scenario(std::string_view toml_text,
                               const std::string& source_name,
                               scenario base = {});

/// The command line: `--scenario FILE` is read first, then every other flag
/// overrides it, in any order.
scenario_result parse_command_line(int argc, const char* const* argv);

/// Range and consistency checks shared by both; appends to `errors`.
void validate(const scenario& s, std::vector<std::string>& errors);

/// "conversations", "echo", "idle_sessions".
std::string_view mode_name(load_mode m);

/// The text of --help: every flag with its default and its scenario key.
std::string usage();

} // namespace baton::bench
