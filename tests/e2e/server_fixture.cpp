#include "tests/e2e/server_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>

#include <boost/json/serialize.hpp>

#include "engine/auth/token.hpp"

namespace baton::e2e {
namespace {

using clock = std::chrono::steady_clock;

std::int64_t unix_now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string config_text(const server_config& c,
                        const std::filesystem::path& dir) {
  std::string t;
  auto line = [&](std::string s) {
    t += s;
    t += '\n';
  };
  line("[server]");
  line("listen = \"127.0.0.1:8080\"   # replaced by BATON_SERVER_LISTEN");
  line("threads = 2");
  line("max_frame_bytes = " + std::to_string(c.max_frame_bytes));
  line("max_sessions = " + std::to_string(c.max_sessions));
  line("max_requests_per_second = "
       + std::to_string(c.max_requests_per_second));
  line("max_write_queue_bytes = " + std::to_string(c.max_write_queue_bytes));
  line("drain_timeout_ms = " + std::to_string(c.drain_timeout_ms));
  if (!c.trusted_proxies.empty())
    line("trusted_proxies = " + c.trusted_proxies);
  line("[auth]");
  line("secret = \"" + std::string(secret) + "\"");
  line(std::string("allow_anonymous_customers = ")
       + (c.allow_anonymous_customers ? "true" : "false"));
  line("hello_timeout_ms = " + std::to_string(c.hello_timeout_ms));
  line("[storage]");
  if (c.postgres_url.empty()) {
    line("backend = \"sqlite\"");
    line("path = \"" + (dir / "baton.db").string() + "\"");
  } else {
    line("backend = \"postgres\"");
    line("url = \"" + c.postgres_url + "\"");
  }
  line("durability = \"" + c.durability + "\"");
  line("group_commit_ms = " + std::to_string(c.group_commit_ms));
  line("[routing]");
  line("default_queue = \"general\"");
  line("offer_timeout_ms = " + std::to_string(c.offer_timeout_ms));
  line("position_update_ms = " + std::to_string(c.position_update_ms));
  line("passivate_after_ms = " + std::to_string(c.passivate_after_ms));
  line("[[queues]]");
  line("id = \"general\"");
  line("name = \"General\"");
  line("strategy = \"longest_idle\"");
  line("[[queues]]");
  line("id = \"sales\"");
  line("name = \"Sales\"");
  line("[[agents]]");
  line("id = \"alice\"");
  line("name = \"Alice\"");
  line("queues = [\"general\"]");
  line("capacity = 3");
  line("[[agents]]");
  line("id = \"bob\"");
  line("name = \"Bob\"");
  line("queues = [\"general\"]");
  line("capacity = 3");
  line("[[agents]]");
  line("id = \"carol\"");
  line("name = \"Carol\"");
  line("queues = [\"sales\"]");
  line("capacity = 2");
  line("[[agents]]");
  line("id = \"erin\"");
  line("name = \"Erin\"");
  line("roles = [\"supervisor\"]");
  line("permissions = [\"takeover\", \"supervise\"]");
  t += c.extra_toml;
  return t;
}

} // namespace

void server_test::TearDown() {
  if (server_) {
    server_->stop();
    if (HasFailure())
      std::cerr << "---- baton stderr ----\n"
                << server_->log() << "---- end of baton stderr ----\n";
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

void server_test::write_config(const server_config& c) {
  auto base = std::filesystem::temp_directory_path() / "baton-e2e-XXXXXX";
  std::string pattern = base.string();
  if (mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  config_path_ = dir_ / "baton.toml";
  std::ofstream(config_path_) << config_text(c, dir_);
}

void server_test::rewrite_config(const server_config& c) {
  std::ofstream(config_path_) << config_text(c, dir_);
}

bool server_test::start_server(const server_config& c) {
  write_config(c);
  if (spawn("127.0.0.1:0"))
    return true;
  ADD_FAILURE() << "baton did not start: " << server_->error() << "\n"
                << server_->log();
  return false;
}

bool server_test::restart_after_exit() {
  if (!server_->wait_exit(milliseconds(10000))) {
    ADD_FAILURE() << "baton did not exit";
    return false;
  }
  if (spawn("127.0.0.1:0"))
    return true;
  ADD_FAILURE() << "baton did not start again: " << server_->error() << "\n"
                << server_->log();
  return false;
}

bool server_test::spawn(const std::string& listen) {
  server_.reset();
  server_.emplace();
  baton_process::options o;
  o.binary = BATON_BINARY;
  o.config_path = config_path_.string();
  o.listen = listen;
  o.start_timeout = milliseconds(10000);
  return server_->start(o);
}

std::string server_test::token(engine::role r, std::string_view user,
                               std::int64_t ttl_s) {
  return engine::auth::sign(secret, r, user, unix_now_s() + ttl_s);
}

std::string server_test::next_id() {
  return "r" + std::to_string(++ids_);
}

ws_client server_test::connect(const connect_options& o) {
  ws_client c;
  if (!c.connect(port(), o))
    ADD_FAILURE() << "WebSocket connect to port " << port()
                  << " failed: " << c.error();
  return c;
}

ws_client server_test::login(engine::role r, std::string_view user,
                             json::object* hello_reply,
                             const connect_options& o) {
  auto c = connect(o);
  if (!c.is_open())
    return c;
  auto id = next_id();
  auto reply = c.request({{"type", "hello"},
                          {"id", id},
                          {"role", std::string(engine::to_string(r))},
                          {"user", std::string(user)},
                          {"token", token(r, user)}},
                         reply_timeout);
  if (!is_ok(reply)) {
    ADD_FAILURE() << "hello as " << engine::to_string(r) << " " << user
                  << " got " << dump(reply) << " (" << c.error() << ")";
    c.close();
    return c;
  }
  if (hello_reply != nullptr)
    *hello_reply = *reply;
  return c;
}

void server_test::make_ready(ws_client& agent) {
  auto reply = agent.request(
    {{"type", "agent.status"}, {"id", next_id()}, {"status", "ready"}},
    reply_timeout);
  EXPECT_TRUE(is_ok(reply)) << "agent.status ready got " << dump(reply);
}

namespace {

/// The conversation a start opened, or a failure naming `what` and "".
std::string opened(const std::optional<json::object>& reply,
                   std::string_view what) {
  if (!is_ok(reply) || str(reply, "conversation").empty()) {
    ADD_FAILURE() << what << " got " << dump(reply);
    return {};
  }
  return str(reply, "conversation");
}

} // namespace

std::string server_test::start_conversation(ws_client& customer,
                                            std::string_view text,
                                            std::string_view queue) {
  auto reply = customer.request({{"type", "conversation.start"},
                                 {"id", next_id()},
                                 {"queue", std::string(queue)},
                                 {"text", std::string(text)}},
                                reply_timeout);
  return opened(reply, "conversation.start");
}

std::string server_test::start_for(ws_client& bot, std::string_view customer,
                                   std::string_view name,
                                   std::string_view text) {
  auto reply = bot.request({{"type", "conversation.start"},
                            {"id", next_id()},
                            {"customer", std::string(customer)},
                            {"attributes", {{"name", std::string(name)}}},
                            {"text", std::string(text)}},
                           reply_timeout);
  return opened(reply, "a bot's conversation.start");
}

std::vector<std::string>
server_test::message_texts(ws_client& reader, std::string_view conversation) {
  std::vector<std::string> texts;
  // A page at a time, from the start, until the server says there is no
  // more.
  for (std::int64_t after = 0;;) {
    auto reply = reader.request({{"type", "conversation.history"},
                                 {"id", next_id()},
                                 {"conversation", std::string(conversation)},
                                 {"after_seq", after},
                                 {"limit", 500}},
                                reply_timeout);
    EXPECT_TRUE(is_ok(reply)) << dump(reply);
    if (!is_ok(reply))
      return texts;
    const auto& events = reply->at("events").as_array();
    for (const auto& v : events) {
      const auto& e = v.as_object();
      after = integer(e, "seq").value_or(after);
      if (str(e, "type") == "message")
        texts.push_back(str(e, "text"));
    }
    const auto* more = reply->if_contains("more");
    if (events.empty() || more == nullptr || !more->is_bool()
        || !more->as_bool())
      return texts;
  }
}

bool server_test::accept_offer(ws_client& agent,
                               std::string_view conversation) {
  auto offer = agent.wait_for("offer", "conversation", conversation,
                              reply_timeout);
  if (!offer) {
    ADD_FAILURE() << "no offer for " << conversation << "; inbox holds "
                  << agent.inbox().size() << " frames";
    return false;
  }
  auto reply = agent.request({{"type", "offer.accept"},
                              {"id", next_id()},
                              {"offer", str(offer, "offer")}},
                             reply_timeout);
  if (!is_ok(reply)) {
    ADD_FAILURE() << "offer.accept of " << dump(offer) << " got "
                  << dump(reply);
    return false;
  }
  return true;
}

std::string server_test::scrape_metrics() {
  auto res = http_get(port(), "/metrics");
  if (!res || res->status != 200)
    return {};
  return res->body;
}

std::optional<double> server_test::metric(std::string_view series) {
  return find_metric(scrape_metrics(), series);
}

bool server_test::wait_metric(std::string_view series,
                              const std::function<bool(double)>& good,
                              milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  for (;;) {
    auto v = metric(series);
    if (v && good(*v))
      return true;
    if (clock::now() >= deadline)
      return false;
    // The server offers no change notification for metrics: scrape again.
    std::this_thread::sleep_for(20ms);
  }
}

// -- reading frames -----------------------------------------------------------

std::string command_output(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"),
                                             ::pclose);
  if (!pipe)
    return out;
  char buffer[4096];
  while (auto n = std::fread(buffer, 1, sizeof buffer, pipe.get()))
    out.append(buffer, n);
  return out;
}

std::string dump(const std::optional<json::object>& frame) {
  return frame ? dump(*frame) : std::string("<none>");
}

bool lists(const json::object& reply, std::string_view conversation) {
  const auto* open = reply.if_contains("conversations");
  if (open == nullptr || !open->is_array())
    return false;
  for (const auto& s : open->as_array())
    if (str(s.as_object(), "conversation") == conversation)
      return true;
  return false;
}

std::string dump(const json::object& frame) {
  return json::serialize(frame);
}

std::string str(const json::object& frame, std::string_view field) {
  auto* v = frame.if_contains(field);
  if (v == nullptr || !v->is_string())
    return {};
  return std::string(v->as_string());
}

std::string str(const std::optional<json::object>& frame,
                std::string_view field) {
  return frame ? str(*frame, field) : std::string();
}

std::optional<std::int64_t> integer(const json::object& frame,
                                    std::string_view field) {
  auto* v = frame.if_contains(field);
  if (v == nullptr)
    return std::nullopt;
  if (v->is_int64())
    return v->as_int64();
  if (v->is_uint64())
    return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}

bool is_ok(const std::optional<json::object>& frame) {
  return frame && str(*frame, "type") == "ok";
}

std::string error_code(const std::optional<json::object>& frame) {
  if (!frame)
    return "<none>";
  if (str(*frame, "type") != "error")
    return "";
  return str(*frame, "code");
}

std::optional<double> find_metric(std::string_view body,
                                  std::string_view series) {
  std::size_t at = 0;
  while (at < body.size()) {
    auto eol = body.find('\n', at);
    if (eol == std::string_view::npos)
      eol = body.size();
    auto line = body.substr(at, eol - at);
    at = eol + 1;
    if (line.size() > series.size() && line.substr(0, series.size()) == series
        && line[series.size()] == ' ') {
      std::string value(line.substr(series.size() + 1));
      char* end = nullptr;
      double d = std::strtod(value.c_str(), &end);
      if (end != value.c_str())
        return d;
    }
  }
  return std::nullopt;
}

} // namespace baton::e2e
