// One short run of baton-load against a server it spawns itself: the
// command a contact centre would type, checked through its --json line.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <simdjson.h>

namespace {

struct run_result {
  int status = -1;
  std::string out;
};

/// baton-load with `args`; `server` is the binary to spawn (baton-echo is
/// found beside baton-load).
run_result run(const std::string& args, const char* server = BATON_BINARY) {
  run_result r;
  std::string cmd = std::string(BATON_LOAD_BINARY) + " " + args
                    + (server ? std::string(" --server-binary ") + server : "")
                    + " --json --no-progress";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr)
    return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string last_line(const std::string& out) {
  auto end = out.find_last_not_of('\n');
  if (end == std::string::npos)
    return {};
  auto start = out.rfind('\n', end);
  return out.substr(start == std::string::npos ? 0 : start + 1,
                    end + 1 - (start == std::string::npos ? 0 : start + 1));
}

/// A run of `args` that succeeded, and its JSON report (the last line).
class ReportedRun {
public:
  explicit ReportedRun(const std::string& args) : result(run(args)) {
    line = last_line(result.out);
    ok = result.status == 0
         && parser_.parse(line).get(doc) == simdjson::SUCCESS;
  }
  run_result result;
  std::string line;
  simdjson::dom::element doc;
  bool ok = false;

private:
  simdjson::dom::parser parser_;
};

TEST(LoadSmokeTest, SpawnedRunRoutesConversationsAndReportsEveryField) {
  // One supervisor too: the run starts only once it is subscribed.
  ReportedRun r("--spawn --duration 2 --concurrency 8 --agents 4 --messages 2 "
                "--supervisors 1");
  ASSERT_TRUE(r.ok) << r.result.out;
  auto& doc = r.doc;
  const auto& line = r.line;

  for (const char* field :
       {"conversations_started", "conversations_routed", "routed_per_sec",
        "messages_per_sec", "frames_per_sec", "server_rss_mb", "duration_s"}) {
    double v = -1;
    ASSERT_EQ(doc[field].get_double().get(v), simdjson::SUCCESS) << field;
    EXPECT_GT(v, 0) << field;
  }
  // Counted over the server's threads during the run: some, and no wrap.
  std::uint64_t voluntary = 0;
  std::uint64_t involuntary = 0;
  ASSERT_EQ(doc["server_voluntary_switches"].get_uint64().get(voluntary),
            simdjson::SUCCESS);
  ASSERT_EQ(doc["server_involuntary_switches"].get_uint64().get(involuntary),
            simdjson::SUCCESS);
  EXPECT_GT(voluntary, 0u);
  EXPECT_LT(voluntary + involuntary, 1'000'000'000u);
  for (const char* field : {"route_latency_ms", "message_latency_ms"}) {
    double previous = 0;
    for (const char* q : {"p50", "p90", "p99", "p999", "max"}) {
      double v = -1;
      ASSERT_EQ(doc[field][q].get_double().get(v), simdjson::SUCCESS)
        << field << "." << q;
      EXPECT_GT(v, 0) << field << "." << q;
      EXPECT_GE(v, previous) << field << "." << q << " below the one before";
      previous = v;
    }
  }
  std::uint64_t started = 0, routed = 0;
  ASSERT_EQ(doc["conversations_started"].get_uint64().get(started),
            simdjson::SUCCESS);
  ASSERT_EQ(doc["conversations_routed"].get_uint64().get(routed),
            simdjson::SUCCESS);
  EXPECT_LE(routed, started);
  // Every conversation that started within the run was routed: the agents
  // have room for all eight customers at once.
  EXPECT_EQ(routed, started);
  simdjson::dom::object errors;
  ASSERT_EQ(doc["errors"].get_object().get(errors), simdjson::SUCCESS);
  EXPECT_EQ(errors.size(), 0u) << line;
}

TEST(LoadSmokeTest, ATimelineHasARowPerIntervalWithTheServersMemory) {
  auto path = testing::TempDir() + "baton-load-timeline.tsv";
  ReportedRun r("--spawn --duration 3 --concurrency 4 --agents 2 "
                "--messages 1 --timeline "
                + path + " --timeline-s 1");
  ASSERT_TRUE(r.ok) << r.result.out;

  std::ifstream in(path);
  std::string header;
  ASSERT_TRUE(std::getline(in, header));
  EXPECT_EQ(header.rfind("t_s\t", 0), 0u) << header;
  int rows = 0;
  double routed_per_s = 0;
  double last_t_s = 0;
  for (std::string row; std::getline(in, row); ++rows) {
    std::vector<std::string> cells;
    std::istringstream cut(row);
    for (std::string cell; std::getline(cut, cell, '\t');)
      cells.push_back(cell);
    ASSERT_EQ(cells.size(), 12u) << row;
    last_t_s = std::stod(cells[0]);
    routed_per_s = std::max(routed_per_s, std::stod(cells[2]));
    EXPECT_EQ(cells[5], "0") << "errors: " << row;
    EXPECT_GT(std::stod(cells[10]), 0) << "server RSS: " << row;
  }
  // 3 s in rows of at least 1 s, taken at the once-a-second ticks (a
  // busy machine may skip one), the last at the end of the load.
  EXPECT_GE(rows, 2);
  EXPECT_GE(last_t_s, 2.9);
  EXPECT_GT(routed_per_s, 0);
  std::remove(path.c_str());
}

TEST(LoadSmokeTest, HistoryFloodReadsTheStoreBesideTheConversations) {
  ReportedRun r("--spawn --duration 2 --concurrency 4 --agents 4 --messages 2 "
                "--storage sqlite --history-flood 2 --history-window 2");
  ASSERT_TRUE(r.ok) << r.result.out;
  auto& doc = r.doc;
  const auto& line = r.line;
  double ack_p50 = 0;
  ASSERT_EQ(doc["message_ack_ms"]["p50"].get_double().get(ack_p50),
            simdjson::SUCCESS);
  EXPECT_GT(ack_p50, 0);
  auto reads = doc["history_reads"];
  std::uint64_t sessions = 0, sent = 0, answered = 0, not_found = 0;
  ASSERT_EQ(reads["sessions"].get_uint64().get(sessions), simdjson::SUCCESS)
    << line;
  ASSERT_EQ(reads["sent"].get_uint64().get(sent), simdjson::SUCCESS);
  ASSERT_EQ(reads["answered"].get_uint64().get(answered), simdjson::SUCCESS);
  ASSERT_EQ(reads["not_found"].get_uint64().get(not_found), simdjson::SUCCESS);
  EXPECT_EQ(sessions, 2u);
  EXPECT_GT(answered, 0u);
  // Answered, or in flight when the run ended (two sessions, two each).
  EXPECT_LE(sent - answered, 4u);
  // Random ids: nobody's conversation, so every answer is not_found.
  EXPECT_EQ(not_found, answered);
  double p99 = 0;
  ASSERT_EQ(reads["latency_ms"]["p99"].get_double().get(p99),
            simdjson::SUCCESS);
  EXPECT_GT(p99, 0);
}

// An open-loop rate beyond what the agents can take: arrivals wait for a
// slot with their clock running, the ones that never got one are errors
// with their wait, and the rate is the load's alone.
TEST(LoadSmokeTest, AnOpenLoopBeyondTheSlotsKeepsEveryArrivalsClock) {
  // One slot, and each conversation takes at least 200 ms (the agent's
  // reply): at most 5 routes/s against 40 arrivals/s.
  ReportedRun r("--spawn --duration 2 --rate 40 --concurrency 1 --agents 1 "
                "--messages 1 --reply-think-ms 200 --timeout-ms 1000");
  ASSERT_TRUE(r.ok) << r.result.out;
  auto& doc = r.doc;
  std::uint64_t not_started = 0;
  ASSERT_EQ(doc["errors"]["not_started"].get(not_started), simdjson::SUCCESS)
    << r.line;
  EXPECT_GT(not_started, 40u) << "most of the 80 arrivals never started";
  double waited = 0;
  ASSERT_EQ(doc["not_started_wait_ms"]["max"].get(waited), simdjson::SUCCESS);
  // Arrivals take the slot in order, and at most 15 fit in the 2 s of load
  // and the drain (1 s at most): the first never started was due within
  // 15 × 25 ms of the start, and waited from then to the end. The drain
  // may be all but empty, so nothing past the load's end is counted on.
  EXPECT_GT(waited, 1500) << "the first of them waited through the load";
  double p99 = 0, setup = 0;
  ASSERT_EQ(doc["route_latency_ms"]["p99"].get(p99), simdjson::SUCCESS);
  ASSERT_EQ(doc["setup_latency_ms"]["p50"].get(setup), simdjson::SUCCESS);
  EXPECT_GT(p99, 500) << "the routes that started late count their wait";
  double per_sec = 0, load_s = 0;
  ASSERT_EQ(doc["routed_per_sec"].get(per_sec), simdjson::SUCCESS);
  ASSERT_EQ(doc["load_s"].get(load_s), simdjson::SUCCESS);
  EXPECT_LE(per_sec, 6.0);
  EXPECT_LT(load_s, 2.5) << "the drain is not in the load";
}

TEST(LoadSmokeTest, EchoCeilingCountsRoundTrips) {
  auto r = run("--spawn --echo --duration 1 --concurrency 4", nullptr);
  ASSERT_EQ(r.status, 0) << r.out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(last_line(r.out)).get(doc), simdjson::SUCCESS)
    << r.out;
  double frames = 0, p50 = 0;
  ASSERT_EQ(doc["frames_per_sec"].get_double().get(frames), simdjson::SUCCESS);
  ASSERT_EQ(doc["message_latency_ms"]["p50"].get_double().get(p50),
            simdjson::SUCCESS);
  EXPECT_GT(frames, 0);
  EXPECT_GT(p50, 0);
}

TEST(LoadSmokeTest, BadFlagIsRefusedWithTheReason) {
  auto r = run("--spawn --rate lots");
  EXPECT_EQ(r.status, 2);
}

} // namespace
