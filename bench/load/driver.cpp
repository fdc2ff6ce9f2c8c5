#include "bench/load/driver.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <unordered_set>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <simdjson.h>

#include "bench/load/history_flood.hpp"
#include "bench/load/stamp.hpp"
#include "engine/auth/token.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#  define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace baton::bench {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
    std::chrono::duration_cast<std::chrono::nanoseconds>(
      clock_type::now().time_since_epoch())
      .count());
}

std::int64_t unix_now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

/// The fields of a server frame that the generator acts on: views into the
/// parser's buffers, valid until the next frame is parsed.
struct frame {
  std::string_view type, re, code, conversation, offer, text, role, status,
    transfer, kind;
  /// The id of `from` or `participant`.
  std::string_view who;
  /// conversation.position's estimate; -1 when absent.
  std::int64_t estimated_wait_s = -1;
};

/// Reads `f` from one frame in a single pass. `capacity` bytes are readable
/// at `data` (simdjson reads up to SIMDJSON_PADDING past the end).
bool parse_frame(simdjson::ondemand::parser& parser, const char* data,
                 std::size_t size, std::size_t capacity, frame& f) {
  f = {};
  simdjson::ondemand::document doc;
  if (parser.iterate(data, size, capacity).get(doc))
    return false;
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj))
    return false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key))
      return false;
    auto v = field.value();
    std::string_view* into = nullptr;
    if (key == "type")
      into = &f.type;
    else if (key == "re")
      into = &f.re;
    else if (key == "code")
      into = &f.code;
    else if (key == "conversation")
      into = &f.conversation;
    else if (key == "offer")
      into = &f.offer;
    else if (key == "text")
      into = &f.text;
    else if (key == "status")
      into = &f.status;
    else if (key == "transfer")
      into = &f.transfer;
    else if (key == "kind")
      into = &f.kind;
    if (into != nullptr) {
      // A null (or other type) leaves the field empty.
      if (v.get_string().get(*into) != simdjson::SUCCESS)
        *into = {};
    } else if (key == "estimated_wait_s") {
      if (v.get_int64().get(f.estimated_wait_s) != simdjson::SUCCESS)
        f.estimated_wait_s = -1;
    } else if (key == "from" || key == "participant") {
      simdjson::ondemand::object who;
      if (v.get_object().get(who) == simdjson::SUCCESS)
        for (auto w : who) {
          std::string_view k;
          if (w.unescaped_key().get(k) != simdjson::SUCCESS)
            continue;
          if (k == "role"
              && w.value().get_string().get(f.role) != simdjson::SUCCESS)
            f.role = {};
          else if (k == "id"
                   && w.value().get_string().get(f.who) != simdjson::SUCCESS)
            f.who = {};
        }
    }
  }
  return true;
}

/// The last ids added, at most `keep` of them: a set that does not grow
/// with the run.
class recent_ids {
public:
  void add(std::string_view id) {
    if (ids_.emplace(id).second) {
      order_.emplace_back(id);
      if (order_.size() > keep) {
        ids_.erase(order_.front());
        order_.pop_front();
      }
    }
  }
  bool contains(std::string_view id) const {
    return ids_.count(std::string(id)) > 0;
  }
  /// Forgets `id`; its place in the order goes when it comes round.
  void erase(std::string_view id) {
    ids_.erase(std::string(id));
  }

private:
  static constexpr std::size_t keep = 256;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;
};

/// Stamp tags: a message's text ("t<ns> ..."), a message.send's id, a
/// history read's id (stamp.hpp).
constexpr char text_tag = 't';
constexpr char ack_tag = 'm';
constexpr char history_tag = 'y';

/// A message.send of `conversation`, due at `due_ns`: its text and its id
/// carry that time, for the other side's latency and for the ack's.
void append_message_send(std::string& out, std::string_view conversation,
                         std::uint64_t due_ns, std::string_view words) {
  out += R"({"type":"message.send","id":")";
  append_stamp(out, ack_tag, due_ns);
  out += R"(","conversation":")";
  out += conversation;
  out += R"(","text":")";
  append_stamp(out, text_tag, due_ns);
  out += ' ';
  out += words;
  out += "\"}";
}

class worker;

/// One WebSocket connection of the generator: connect from a loopback
/// source address, handshake, then a read loop handing each parsed frame to
/// on_frame, and a write queue of reused strings.
class session : public std::enable_shared_from_this<session> {
public:
  explicit session(worker& w);
  virtual ~session();

  void connect();
  /// Close handshake once the write queue is empty.
  void close();
  /// Drops the TCP connection now.
  void drop();

protected:
  virtual void on_open() = 0;
  virtual void on_frame(const frame& f) = 0;
  /// The connection ended: with `connect` or `closed` when it failed or the
  /// server ended it, with nothing after a close this side asked for.
  virtual void on_ended(std::optional<error_kind> failure) = 0;

  /// A cleared string to build the next frame in; sent by end_frame().
  std::string& begin_frame();
  void end_frame();
  /// `hello` as `role` `user`, with a token signed for a day.
  void send_hello(engine::role role, std::string_view user);

  worker& w_;
  bool open_ = false;

private:
  void on_connect(beast::error_code ec);
  void on_handshake(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t n);
  void do_write();
  void on_write(beast::error_code ec, std::size_t n);
  void end(std::optional<error_kind> failure);

  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer in_;
  std::deque<std::string> out_;
  std::vector<std::string> spare_;
  bool writing_ = false;
  bool closing_ = false;
  bool ended_ = false;
};

/// A customer: hello, conversation.start, waits for an agent, then sends
/// `messages` messages, each after the previous one was answered, then
/// closes the conversation and the connection.
class customer;
/// An agent: hello, ready, accepts every offer, answers every customer
/// message, and per accepted conversation maybe transfers, conferences or
/// whispers.
class agent;
/// Echo mode: keeps `echo_window` frames in flight and measures round trips.
class echo_connection;
/// A supervisor: hello, supervise.subscribe to every queue, then counts
/// the events that brings.
class supervisor;
/// idle_sessions mode: hello, then nothing.
class idle_session;
/// The history flood: hello, then conversation.history of random ids.
class history_reader;

/// One thread, one io_context, its share of the sessions.
class worker {
public:
  worker(const scenario& s, const roster& r, const target& t, int index, int of)
    : s_(s),
      roster_(r),
      index_(index),
      work_(net::make_work_guard(ioc)),
      tick_(ioc),
      delay_timer_(ioc),
      rng_(0x5eed + index) {
    server_ = tcp::endpoint(net::ip::make_address(t.host), t.port);
    host_header_ = t.host + ":" + std::to_string(t.port);
    path_ = t.path;
    for (int i = 1; i <= s.sources; ++i)
      sources_.push_back(
        net::ip::address_v4((127u << 24) | static_cast<unsigned>(i)));
    // This worker's share of the concurrency and of the rate.
    concurrency_ = s.concurrency / of + (index < s.concurrency % of ? 1 : 0);
    rate_ = s.rate / of;
    idle_target_ = s.idle_sessions / of
                   + (index < s.idle_sessions % of ? 1 : 0);
    for (std::size_t a = static_cast<std::size_t>(index); a < r.agents.size();
         a += static_cast<std::size_t>(of))
      agent_ids_.push_back(r.agents[a]);
    auto supervisors = std::min(r.supervisors.size(),
                                static_cast<std::size_t>(s.supervisors));
    for (std::size_t v = static_cast<std::size_t>(index); v < supervisors;
         v += static_cast<std::size_t>(of))
      supervisor_ids_.push_back(r.supervisors[v]);
    flood_ = s.history_flood / of + (index < s.history_flood % of ? 1 : 0);
    thread_ = std::thread([this] {
      ioc.run();
      finished_.store(true, std::memory_order_release);
    });
  }

  ~worker() {
    join();
    // Handlers still queued (after a forced stop) are destroyed with the
    // io_context, after the members their sessions would untrack from.
    destroying_ = true;
  }

  net::io_context ioc{1};
  load_stats stats;
  simdjson::ondemand::parser parser;

  const scenario& s() const {
    return s_;
  }
  const roster& team() const {
    return roster_;
  }
  const std::string& host_header() const {
    return host_header_;
  }
  const std::string& path() const {
    return path_;
  }
  const tcp::endpoint& server() const {
    return server_;
  }
  bool stopping() const {
    return stopping_;
  }
  bool arrivals_on() const {
    return arrivals_;
  }
  /// True once the thread's io_context has run out of work.
  bool finished() const {
    return finished_.load(std::memory_order_acquire);
  }
  void join() {
    if (thread_.joinable())
      thread_.join();
  }
  bool destroying() const {
    return destroying_;
  }
  std::uint64_t in_flight() const {
    return in_flight_.load(std::memory_order_relaxed);
  }
  std::mt19937_64& rng() {
    return rng_;
  }
  double uniform() {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }

  net::ip::address_v4 next_source() {
    auto a = sources_[next_source_ % sources_.size()];
    ++next_source_;
    return a;
  }

  void track(session* s) {
    live_.insert(s);
  }
  void untrack(session* s) {
    live_.erase(s);
  }

  /// Runs `fn` after `delay` on this thread; at once when it is zero.
  void after(std::chrono::milliseconds delay, std::function<void()> fn);

  // Called on the worker's thread (posted by the driver).
  void start_agents();
  void start_load();
  void stop_arrivals() {
    arrivals_ = false;
  }
  void shutdown();

  // From sessions.
  void customer_done();
  void idle_opened();
  void idle_failed();
  void echo_done() {
    in_flight_dec();
  }

private:
  /// A customer arriving at `arrival_ns`: its clock starts there, however
  /// late it gets a slot.
  void launch_customer(std::uint64_t arrival_ns);
  void launch_idle();
  void on_tick();
  void arm_delay();
  void in_flight_inc() {
    in_flight_.store(in_flight() + 1, std::memory_order_relaxed);
  }
  void in_flight_dec() {
    in_flight_.store(in_flight() - 1, std::memory_order_relaxed);
  }
  double ramp_factor() const {
    if (s_.ramp_up_s <= 0)
      return 1.0;
    double t
      = std::chrono::duration<double>(clock_type::now() - load_start_).count();
    return std::min(1.0, t / s_.ramp_up_s);
  }

  const scenario& s_;
  const roster& roster_;
  int index_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  tcp::endpoint server_;
  std::string host_header_;
  std::string path_;
  std::vector<net::ip::address_v4> sources_;
  std::size_t next_source_ = 0;
  std::vector<std::string> agent_ids_;
  std::vector<std::string> supervisor_ids_;
  std::vector<std::shared_ptr<session>> agents_;
  int flood_ = 0; ///< history flood sessions of this thread
  std::vector<std::shared_ptr<history_reader>> readers_;
  std::unordered_set<session*> live_;
  std::atomic<std::uint64_t> in_flight_{0};
  int concurrency_ = 0;
  double rate_ = 0;
  int idle_target_ = 0;
  int idle_launched_ = 0;
  int idle_connecting_ = 0;
  std::uint64_t next_customer_ = 0;
  bool arrivals_ = false;
  bool stopping_ = false;
  double credit_ = 0;
  /// Open loop: arrivals that found every slot taken, oldest first, by
  /// their arrival time. They start as slots free up; those left at the
  /// end are `not_started`, with how long they waited.
  std::deque<std::uint64_t> waiting_arrivals_;
  clock_type::time_point load_start_;
  clock_type::time_point last_tick_;
  net::steady_timer tick_;

  struct delayed {
    clock_type::time_point at;
    std::uint64_t seq;
    std::function<void()> fn;
    bool operator>(const delayed& o) const {
      return at != o.at ? at > o.at : seq > o.seq;
    }
  };
  std::vector<delayed> delays_; ///< a min-heap on (at, seq)
  std::uint64_t delay_seq_ = 0;
  net::steady_timer delay_timer_;
  clock_type::time_point delay_armed_ = clock_type::time_point::max();

  std::mt19937_64 rng_;
  std::atomic<bool> finished_{false};
  bool destroying_ = false;
  std::thread thread_;
};

// --- session -------------------------------------------------------------

session::session(worker& w) : w_(w), ws_(w.ioc) {
  w_.track(this);
}

session::~session() {
  if (!w_.destroying())
    w_.untrack(this);
}

void session::connect() {
  auto& sock = ws_.next_layer();
  beast::error_code ec;
  sock.open(tcp::v4(), ec);
  if (!ec) {
    // Let connect() pick the port for the 4-tuple, so that each source
    // address has its own 28k ports rather than sharing one pool.
    int one = 1;
    ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
                 &one, sizeof one);
    sock.set_option(tcp::no_delay(true), ec);
    sock.bind(tcp::endpoint(w_.next_source(), 0), ec);
  }
  if (ec) {
    // Later, not from here: a caller that starts a replacement on failure
    // must not recurse.
    net::post(ws_.get_executor(),
              [self = shared_from_this()] { self->end(error_kind::connect); });
    return;
  }
  sock.async_connect(w_.server(),
                     [self = shared_from_this()](beast::error_code e) {
                       self->on_connect(e);
                     });
}

void session::on_connect(beast::error_code ec) {
  if (ec)
    return end(error_kind::connect);
  ws_.text(true);
  ws_.async_handshake(w_.host_header(), w_.path(),
                      [self = shared_from_this()](beast::error_code e) {
                        self->on_handshake(e);
                      });
}

void session::on_handshake(beast::error_code ec) {
  if (ec)
    return end(error_kind::connect);
  open_ = true;
  do_read();
  on_open();
}

void session::do_read() {
  ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec,
                                                  std::size_t n) {
    self->on_read(ec, n);
  });
}

void session::on_read(beast::error_code ec, std::size_t n) {
  if (ec)
    return end(closing_ ? std::nullopt
                        : std::optional<error_kind>(error_kind::closed));
  w_.stats.frames_in.add();
  auto size = in_.size();
  in_.prepare(simdjson::SIMDJSON_PADDING);
  auto data = static_cast<const char*>(in_.data().data());
  frame f;
  if (parse_frame(w_.parser, data, size, size + simdjson::SIMDJSON_PADDING, f))
    on_frame(f);
  else
    w_.stats.error(error_kind::other_code);
  in_.consume(size);
  if (!ended_)
    do_read();
}

std::string& session::begin_frame() {
  if (spare_.empty()) {
    out_.emplace_back();
  } else {
    out_.push_back(std::move(spare_.back()));
    spare_.pop_back();
    out_.back().clear();
  }
  return out_.back();
}

void session::end_frame() {
  w_.stats.frames_out.add();
  if (!writing_ && open_)
    do_write();
}

void session::send_hello(engine::role role, std::string_view user) {
  auto token = engine::auth::sign(w_.team().secret, role, user,
                                  unix_now_s() + 86400);
  auto& out = begin_frame();
  out += R"({"type":"hello","id":"h","role":")";
  out += engine::to_string(role);
  out += R"(","user":")";
  out += user;
  out += R"(","token":")";
  out += token;
  out += "\"}";
  end_frame();
}

void session::do_write() {
  if (out_.empty()) {
    if (closing_ && open_) {
      open_ = false;
      ws_.async_close(websocket::close_code::normal,
                      [self = shared_from_this()](beast::error_code) {});
    }
    return;
  }
  writing_ = true;
  ws_.async_write(net::buffer(out_.front()),
                  [self = shared_from_this()](beast::error_code ec,
                                              std::size_t n) {
                    self->on_write(ec, n);
                  });
}

void session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec)
    return end(closing_ ? std::nullopt
                        : std::optional<error_kind>(error_kind::closed));
  // Keep the string's capacity for a later frame.
  if (spare_.size() < 4)
    spare_.push_back(std::move(out_.front()));
  out_.pop_front();
  do_write();
}

void session::close() {
  closing_ = true;
  if (!writing_)
    do_write();
}

void session::drop() {
  open_ = false;
  beast::error_code ec;
  ws_.next_layer().shutdown(tcp::socket::shutdown_both, ec);
  ws_.next_layer().close(ec);
}

void session::end(std::optional<error_kind> failure) {
  if (ended_)
    return;
  ended_ = true;
  open_ = false;
  on_ended(failure);
}

// --- customer --------------------------------------------------------------

class customer final : public session {
public:
  customer(worker& w, std::uint64_t n, std::uint64_t arrival_ns)
    : session(w), arrival_ns_(arrival_ns), watchdog_(w.ioc) {
    user_ = "lc-" + std::to_string(n);
    // Spread conversations over the queues.
    const auto& queues = w.team().queues;
    queue_ = queues[n % queues.size()];
  }

  void begin() {
    last_progress_ = clock_type::now();
    arm_watchdog(w_.s().conversation_timeout);
    connect();
  }

private:
  void on_open() override {
    send_hello(engine::role::customer, user_);
  }

  void on_frame(const frame& f) override {
    last_progress_ = clock_type::now();
    if (done_)
      return;
    if (f.type == "ok") {
      if (f.re == "h") {
        w_.stats.setup_latency.record(now_ns() - arrival_ns_);
        start();
      } else if (f.re == "s" && conversation_.empty())
        conversation_ = f.conversation;
      else if (f.re == "c")
        finish();
      else if (auto t = stamp_of(f.re, ack_tag); t != 0)
        w_.stats.ack_latency.record(now_ns() - t);
      return;
    }
    if (f.type == "error") {
      w_.stats.error(error_from_code(f.code));
      // A customer whose hello, start, message or close fails has nothing
      // more to do; a refused transfer consent changes nothing.
      if (f.re != "x")
        finish();
      return;
    }
    if (f.type == "conversation.assigned"
        || (f.type == "participant.joined" && f.role == "agent")) {
      if (!mine(f))
        return;
      if (!routed_) {
        routed_ = true;
        auto now = now_ns();
        w_.stats.route_latency.record(now - arrival_ns_);
        w_.stats.routed.add();
        // The queue estimates the wait in it, from the start on.
        record_estimate_error(now - started_ns_);
        send_next(now_ns());
      } else if (awaiting_ && f.type == "conversation.assigned") {
        // Reassigned (a transfer) while a message was unanswered: the new
        // agent never saw it as an event, so say it again.
        --sent_;
        send_next(now_ns());
      }
      return;
    }
    if (f.type == "message") {
      if (f.role != "agent" || !mine(f))
        return;
      if (auto t = stamp_of(f.text, text_tag); t != 0) {
        w_.stats.message_latency.record(now_ns() - t);
        w_.stats.messages.add();
      }
      if (!awaiting_)
        return; // a second agent's answer in a conference
      awaiting_ = false;
      if (sent_ >= w_.s().messages) {
        send_close();
      } else {
        // Due after the think time, however late the timer runs.
        auto think = w_.s().customer_think;
        auto due = now_ns()
                   + static_cast<std::uint64_t>(
                     std::chrono::nanoseconds(think).count());
        std::weak_ptr<session> weak = shared_from_this();
        w_.after(think, [weak, due] {
          if (auto self = weak.lock())
            static_cast<customer&>(*self).send_next(due);
        });
      }
      return;
    }
    if (f.type == "conversation.position" && mine(f)) {
      // The first estimate the queue gave is the one judged.
      if (predicted_s_ < 0)
        predicted_s_ = f.estimated_wait_s;
      return;
    }
    if (f.type == "conversation.no_agents" && mine(f)) {
      w_.stats.error(error_kind::no_agents);
      finish();
      return;
    }
    if (f.type == "conversation.closed" && mine(f)) {
      finish();
      return;
    }
    if (f.type == "transfer.consent_request" && mine(f)) {
      auto& out = begin_frame();
      out += R"({"type":"transfer.consent","id":"x","conversation":")";
      out += conversation_;
      out += R"(","transfer":")";
      out += f.transfer;
      out += R"(","accept":true})";
      end_frame();
    }
  }

  void on_ended(std::optional<error_kind> failure) override {
    watchdog_.cancel();
    if (done_)
      return;
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
    done_ = true;
    w_.stats.finished.add();
    w_.customer_done();
  }

  bool mine(const frame& f) {
    if (conversation_.empty() && !f.conversation.empty())
      conversation_ = f.conversation; // an event before the start's reply
    return f.conversation == conversation_;
  }

  void start() {
    auto& out = begin_frame();
    out += R"({"type":"conversation.start","id":"s","channel":"web","queue":")";
    out += queue_;
    out += R"(","text":"Hello, I need help with my order"})";
    started_ns_ = now_ns();
    end_frame();
    w_.stats.started.add();
  }

  /// The next message, due at `due_ns`.
  void send_next(std::uint64_t due_ns) {
    if (done_)
      return;
    if (sent_ >= w_.s().messages) {
      send_close();
      return;
    }
    append_message_send(begin_frame(), conversation_, due_ns,
                        "where is my parcel?");
    end_frame();
    ++sent_;
    awaiting_ = true;
  }

  /// How far the queue's first estimate was from the wait it measured, for
  /// a conversation that got one.
  void record_estimate_error(std::uint64_t waited_ns) {
    if (predicted_s_ < 0)
      return;
    auto predicted_ns = static_cast<std::uint64_t>(predicted_s_)
                        * 1'000'000'000;
    w_.stats.estimate_error.record(waited_ns > predicted_ns
                                     ? waited_ns - predicted_ns
                                     : predicted_ns - waited_ns);
  }

  void send_close() {
    auto& out = begin_frame();
    out += R"({"type":"conversation.close","id":"c","conversation":")";
    out += conversation_;
    out += "\"}";
    end_frame();
  }

  void finish() {
    if (done_)
      return;
    done_ = true;
    watchdog_.cancel();
    w_.stats.finished.add();
    close();
    w_.customer_done();
  }

  void arm_watchdog(std::chrono::steady_clock::duration in) {
    watchdog_.expires_after(in);
    std::weak_ptr<session> weak = shared_from_this();
    watchdog_.async_wait([weak](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || !self)
        return;
      static_cast<customer&>(*self).on_watchdog();
    });
  }

  void on_watchdog() {
    if (done_)
      return;
    auto quiet = clock_type::now() - last_progress_;
    auto limit = w_.s().conversation_timeout;
    if (quiet < limit)
      return arm_watchdog(limit - quiet);
    w_.stats.error(error_kind::timeout);
    done_ = true;
    w_.stats.finished.add();
    drop();
    w_.customer_done();
  }

  std::string user_;
  std::string queue_;
  std::string conversation_;
  std::uint64_t arrival_ns_ = 0;
  std::uint64_t started_ns_ = 0; ///< conversation.start sent
  /// The queue's first estimate of the wait, in seconds; -1: none given.
  std::int64_t predicted_s_ = -1;
  int sent_ = 0;
  bool routed_ = false;
  bool awaiting_ = false;
  bool done_ = false;
  clock_type::time_point last_progress_;
  net::steady_timer watchdog_;
};

// --- agent -----------------------------------------------------------------

class agent final : public session {
public:
  agent(worker& w, std::string id) : session(w), id_(std::move(id)) {
  }

private:
  void on_open() override {
    send_hello(engine::role::agent, id_);
  }

  void on_frame(const frame& f) override {
    if (f.type == "ok") {
      if (f.re == "h") {
        send_ready();
      } else if (f.re == "r" && !ready_) {
        ready_ = true;
        w_.stats.agents_ready.add();
      } else if (f.re == "a") {
        accepted(f.conversation);
      } else if (f.re == "t") {
        w_.stats.transfers_ok.add();
      } else if (f.re == "f") {
        w_.stats.conferences_ok.add();
      } else if (f.re == "w") {
        w_.stats.whispers_ok.add();
      } else if (auto t = stamp_of(f.re, ack_tag); t != 0) {
        w_.stats.ack_latency.record(now_ns() - t);
      }
      return;
    }
    if (f.type == "error") {
      // An answer that crossed the customer's close: refused as the
      // protocol says, counted apart (a conference's other agents answer
      // the last message too).
      if (f.code == "invalid_state" && stamp_of(f.re, ack_tag) != 0)
        w_.stats.late_answers.add();
      // An accept that lost the race with the offer's end (another agent,
      // the customer's close): the protocol's conflict, counted apart.
      else if (f.code == "conflict" && f.re == "a")
        w_.stats.offers_lost.add();
      else
        w_.stats.error(error_from_code(f.code));
      return;
    }
    if (f.type == "offer") {
      // One who joins by a conference may not hand it over cold (the
      // protocol refuses it with two agents in it).
      if (f.kind == "conference")
        conference_joins_.add(f.conversation);
      std::weak_ptr<session> weak = shared_from_this();
      w_.after(w_.s().accept_think, [weak, offer = std::string(f.offer)] {
        if (auto self = weak.lock())
          static_cast<agent&>(*self).accept(offer);
      });
      return;
    }
    // Gone from it (handed over, or closed): its messages are not ours to
    // answer any more, as a real desktop would know.
    if ((f.type == "participant.left" && f.who == id_)
        || f.type == "conversation.closed") {
      gone_.add(f.conversation);
      return;
    }
    if (f.type == "message" && f.role == "customer") {
      // Only stamped messages: the start's text is not one to answer.
      auto t = stamp_of(f.text, text_tag);
      if (t == 0)
        return;
      auto now = now_ns();
      w_.stats.message_latency.record(now - t);
      w_.stats.messages.add();
      auto think = w_.s().reply_think;
      if (think.count() == 0) {
        answer(f.conversation, now);
      } else {
        auto due = now
                   + static_cast<std::uint64_t>(
                     std::chrono::nanoseconds(think).count());
        std::weak_ptr<session> weak = shared_from_this();
        w_.after(think,
                 [weak, due, conversation = std::string(f.conversation)] {
                   if (auto self = weak.lock())
                     static_cast<agent&>(*self).answer(conversation, due);
                 });
      }
      return;
    }
    if (f.type == "agent.status" && !f.status.empty() && f.status != "ready"
        && !w_.stopping()) {
      // Missed offers set the agent not_ready: it goes straight back.
      send_ready();
    }
  }

  void on_ended(std::optional<error_kind> failure) override {
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
  }

  void send_ready() {
    auto& out = begin_frame();
    out += R"({"type":"agent.status","id":"r","status":"ready"})";
    end_frame();
  }

  void accept(const std::string& offer) {
    if (!open_)
      return;
    auto& out = begin_frame();
    out += R"({"type":"offer.accept","id":"a","offer":")";
    out += offer;
    out += "\"}";
    end_frame();
  }

  /// The answer to a customer message, due at `due_ns`.
  void answer(std::string_view conversation, std::uint64_t due_ns) {
    if (!open_ || gone_.contains(conversation))
      return;
    append_message_send(begin_frame(), conversation, due_ns,
                        "it is on its way");
    end_frame();
  }

  /// The mix: each accepted conversation may get a transfer or a
  /// conference (exclusive), and independently a whisper.
  void accepted(std::string_view conversation) {
    const auto& s = w_.s();
    const auto& queues = w_.team().queues;
    const auto& to_queue = queues[++turn_ % queues.size()];
    // Back in it (handed back by another agent's transfer): ours again.
    gone_.erase(conversation);
    // The whisper first: after a cold transfer the agent is no longer in it.
    if (s.whisper_share > 0 && w_.uniform() < s.whisper_share) {
      auto& out = begin_frame();
      out += R"({"type":"whisper.send","id":"w","conversation":")";
      out += conversation;
      out += R"(","text":"VIP customer, be nice"})";
      end_frame();
    }
    // One who joined by a conference neither hands it over cold (refused
    // with two agents in it) nor invites another (chains of conferences).
    if (conference_joins_.contains(conversation))
      return;
    double u = w_.uniform();
    if (u < s.transfer_share) {
      auto& out = begin_frame();
      out += R"({"type":"transfer.request","id":"t","conversation":")";
      out += conversation;
      out += R"(","to_queue":")";
      out += to_queue;
      if (!w_.team().transfer_topic.empty()) {
        out += R"(","topic":")";
        out += w_.team().transfer_topic;
      }
      out += R"(","note":"needs a specialist","mode":"cold"})";
      end_frame();
      // A cold transfer hands over at once: what comes after is not ours.
      gone_.add(conversation);
    } else if (u < s.transfer_share + s.conference_share) {
      auto& out = begin_frame();
      out += R"({"type":"conference.request","id":"f","conversation":")";
      out += conversation;
      out += R"(","to_queue":")";
      out += to_queue;
      out += R"(","note":"second opinion"})";
      end_frame();
    }
  }

  std::string id_;
  bool ready_ = false;
  std::size_t turn_ = 0;
  /// Conversations this agent left or saw closed, the latest ones: what is
  /// still in flight for it comes soon after.
  recent_ids gone_;
  /// Conversations this agent was offered to join by a conference.
  recent_ids conference_joins_;
};

// --- supervisor --------------------------------------------------------------

class supervisor final : public session {
public:
  supervisor(worker& w, std::string id) : session(w), id_(std::move(id)) {
  }

private:
  void on_open() override {
    send_hello(engine::role::supervisor, id_);
  }

  void on_frame(const frame& f) override {
    if (f.type == "ok") {
      if (f.re == "h") {
        auto& out = begin_frame();
        out += R"({"type":"supervise.subscribe","id":"u"})";
        end_frame();
      } else if (f.re == "u") {
        w_.stats.supervisors_subscribed.add();
      }
      return;
    }
    if (f.type == "error") {
      w_.stats.error(error_from_code(f.code));
      return;
    }
    w_.stats.supervisor_events.add();
  }

  void on_ended(std::optional<error_kind> failure) override {
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
  }

  std::string id_;
};

// --- echo and idle -----------------------------------------------------------

class echo_connection final : public session {
public:
  using session::session;

private:
  void on_open() override {
    for (int i = 0; i < w_.s().echo_window; ++i)
      send_one();
  }

  void on_frame(const frame& f) override {
    if (auto t = stamp_of(f.text, text_tag); t != 0) {
      w_.stats.message_latency.record(now_ns() - t);
      w_.stats.messages.add();
    }
    --outstanding_;
    if (w_.arrivals_on())
      send_one();
    else if (outstanding_ <= 0)
      close();
  }

  void on_ended(std::optional<error_kind> failure) override {
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
    w_.echo_done();
  }

  void send_one() {
    auto& out = begin_frame();
    out
      += R"({"type":"message.send","id":"m","conversation":"c-echo","text":")";
    append_stamp(out, text_tag, now_ns());
    out += ' ';
    auto want = static_cast<std::size_t>(w_.s().frame_bytes);
    if (out.size() + 2 < want)
      out.append(want - out.size() - 2, 'x');
    out += "\"}";
    end_frame();
    ++outstanding_;
  }

  int outstanding_ = 0;
};

class idle_session final : public session {
public:
  idle_session(worker& w, std::uint64_t n) : session(w) {
    user_ = "idle-" + std::to_string(n);
  }

private:
  void on_open() override {
    send_hello(engine::role::customer, user_);
  }

  void on_frame(const frame& f) override {
    if (f.re != "h" || counted_)
      return;
    counted_ = true;
    if (f.type == "ok") {
      w_.stats.sessions_open.add();
      w_.idle_opened();
    } else {
      w_.stats.error(error_from_code(f.code));
      w_.idle_failed();
    }
  }

  void on_ended(std::optional<error_kind> failure) override {
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
    if (!counted_) {
      counted_ = true;
      w_.idle_failed();
    }
  }

  std::string user_;
  bool counted_ = false;
};

// --- history flood -----------------------------------------------------------

class history_reader final : public session {
public:
  history_reader(worker& w, std::uint64_t n)
    : session(w),
      pacer_(w.s().history_rate, w.s().history_window),
      timer_(w.ioc) {
    user_ = "hf-" + std::to_string(n);
  }

  /// Starts the reads (the load starts).
  void begin() {
    if (!ready_ || reading_)
      return;
    reading_ = true;
    pacer_.start(now_ns());
    pump();
  }

private:
  /// After a rate_limited answer the session's next read waits this long:
  /// against a server that limits, the flood goes at the limit, not faster.
  static constexpr std::chrono::milliseconds rate_limited_pause{10};

  void on_open() override {
    send_hello(engine::role::customer, user_);
  }

  void on_frame(const frame& f) override {
    if (f.re == "h") {
      if (f.type == "ok" && !ready_) {
        ready_ = true;
        w_.stats.history_sessions_ready.add();
        if (w_.arrivals_on())
          begin();
      } else if (f.type == "error") {
        w_.stats.error(error_from_code(f.code));
      }
      return;
    }
    auto due = stamp_of(f.re, history_tag);
    if (due == 0)
      return;
    w_.stats.history_answered.add();
    pacer_.answered();
    if (f.type == "error" && f.code == "rate_limited") {
      w_.stats.history_rate_limited.add();
      hold_until(clock_type::now() + rate_limited_pause);
      return;
    }
    w_.stats.history_latency.record(now_ns() - due);
    if (f.type == "error" && f.code == "not_found")
      w_.stats.history_not_found.add();
    pump();
  }

  void on_ended(std::optional<error_kind> failure) override {
    timer_.cancel();
    if (failure && !w_.stopping())
      w_.stats.error(*failure);
  }

  /// Sends every read that may go now, then waits for the next one due.
  void pump() {
    if (!open_ || !reading_ || w_.stopping() || held_)
      return;
    while (auto due = pacer_.take(now_ns())) {
      auto& out = begin_frame();
      out += R"({"type":"conversation.history","id":")";
      append_stamp(out, history_tag, *due);
      out += R"(","conversation":")";
      out += random_conversation_id(w_.rng());
      out += "\"}";
      end_frame();
      w_.stats.history_sent.add();
    }
    if (auto next = pacer_.next_due())
      hold_until(clock_type::time_point(std::chrono::nanoseconds(*next)));
  }

  /// No read before `at`; pump() again then.
  void hold_until(clock_type::time_point at) {
    if (held_)
      return;
    held_ = true;
    timer_.expires_at(at);
    std::weak_ptr<session> weak = shared_from_this();
    timer_.async_wait([weak](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || !self)
        return;
      auto& me = static_cast<history_reader&>(*self);
      me.held_ = false;
      me.pump();
    });
  }

  std::string user_;
  read_pacer pacer_;
  net::steady_timer timer_;
  bool ready_ = false;
  bool reading_ = false;
  bool held_ = false; ///< a timer will pump()
};

// --- worker ------------------------------------------------------------------

void worker::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  if (delay.count() <= 0) {
    fn();
    return;
  }
  delays_.push_back({clock_type::now() + delay, delay_seq_++, std::move(fn)});
  std::push_heap(delays_.begin(), delays_.end(), std::greater<>{});
  arm_delay();
}

void worker::arm_delay() {
  if (delays_.empty() || delays_.front().at >= delay_armed_)
    return;
  delay_armed_ = delays_.front().at;
  delay_timer_.expires_at(delay_armed_);
  delay_timer_.async_wait([this](beast::error_code ec) {
    if (ec)
      return; // re-armed earlier, or shut down
    delay_armed_ = clock_type::time_point::max();
    auto now = clock_type::now();
    while (!delays_.empty() && delays_.front().at <= now) {
      std::pop_heap(delays_.begin(), delays_.end(), std::greater<>{});
      auto fn = std::move(delays_.back().fn);
      delays_.pop_back();
      fn();
    }
    arm_delay();
  });
}

void worker::start_agents() {
  for (const auto& id : agent_ids_) {
    auto a = std::make_shared<agent>(*this, id);
    agents_.push_back(a);
    a->connect();
  }
  for (const auto& id : supervisor_ids_) {
    auto v = std::make_shared<supervisor>(*this, id);
    agents_.push_back(v);
    v->connect();
  }
  for (int i = 0; i < flood_; ++i) {
    auto n = static_cast<std::uint64_t>(index_) * 1'000'000 + readers_.size();
    auto r = std::make_shared<history_reader>(*this, n);
    readers_.push_back(r);
    r->connect();
  }
}

void worker::start_load() {
  load_start_ = last_tick_ = clock_type::now();
  arrivals_ = true;
  switch (s_.mode) {
    case load_mode::echo:
      for (int i = 0; i < concurrency_; ++i) {
        in_flight_inc();
        std::make_shared<echo_connection>(*this)->connect();
      }
      return;
    case load_mode::idle_sessions:
      // A few hundred handshakes at a time, so the listen backlog holds.
      while (idle_connecting_ < 256 && idle_launched_ < idle_target_)
        launch_idle();
      return;
    case load_mode::conversations:
      for (auto& r : readers_)
        r->begin();
      on_tick();
      return;
  }
}

void worker::launch_idle() {
  ++idle_launched_;
  ++idle_connecting_;
  auto n = static_cast<std::uint64_t>(index_) * 10'000'000 + next_customer_++;
  std::make_shared<idle_session>(*this, n)->connect();
}

void worker::idle_opened() {
  --idle_connecting_;
  if (!stopping_ && idle_launched_ < idle_target_)
    launch_idle();
}

void worker::idle_failed() {
  idle_opened();
}

void worker::launch_customer(std::uint64_t arrival_ns) {
  in_flight_inc();
  auto n = static_cast<std::uint64_t>(index_) * 1'000'000'000
           + next_customer_++;
  std::make_shared<customer>(*this, n, arrival_ns)->begin();
}

void worker::customer_done() {
  in_flight_dec();
  if (stopping_)
    return;
  // Open loop: the oldest arrival waiting for a slot takes this one, even
  // after the arrivals stopped: it arrived during the load.
  if (!waiting_arrivals_.empty()) {
    auto arrival = waiting_arrivals_.front();
    waiting_arrivals_.pop_front();
    launch_customer(arrival);
    return;
  }
  // Closed loop: the next customer comes as soon as one leaves.
  if (arrivals_ && s_.rate <= 0
      && in_flight() < static_cast<std::uint64_t>(
           std::ceil(concurrency_ * ramp_factor())))
    launch_customer(now_ns());
}

void worker::on_tick() {
  if (!arrivals_ || stopping_)
    return;
  auto now = clock_type::now();
  double dt = std::chrono::duration<double>(now - last_tick_).count();
  last_tick_ = now;
  if (s_.rate > 0) {
    double per_s = rate_ * ramp_factor();
    credit_ += per_s * dt;
    auto now_in_ns = now_ns();
    while (credit_ >= 1.0) {
      credit_ -= 1.0;
      // When this arrival was due: the credit left over accrued after it.
      auto arrival = now_in_ns
                     - static_cast<std::uint64_t>(credit_ / per_s * 1e9);
      if (in_flight() < static_cast<std::uint64_t>(concurrency_))
        launch_customer(arrival);
      else
        waiting_arrivals_.push_back(arrival);
    }
  } else {
    auto want
      = static_cast<std::uint64_t>(std::ceil(concurrency_ * ramp_factor()));
    while (in_flight() < want)
      launch_customer(now_ns());
  }
  tick_.expires_after(std::chrono::milliseconds(1));
  tick_.async_wait([this](beast::error_code ec) {
    if (!ec)
      on_tick();
  });
}

void worker::shutdown() {
  stopping_ = true;
  arrivals_ = false;
  auto end = now_ns();
  for (auto arrival : waiting_arrivals_) {
    stats.error(error_kind::not_started);
    stats.unstarted_wait.record(end - arrival);
  }
  waiting_arrivals_.clear();
  tick_.cancel();
  delay_timer_.cancel();
  delays_.clear();
  // Copy: drop() may end sessions, which untrack themselves.
  std::vector<session*> all(live_.begin(), live_.end());
  for (auto* s : all)
    s->drop();
  agents_.clear();
  readers_.clear();
  work_.reset();
}

} // namespace

bool parse_ws_url(const std::string& url, target& t) {
  const std::string scheme = "ws://";
  if (url.rfind(scheme, 0) != 0)
    return false;
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto hostport = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "/v1/ws" : rest.substr(slash);
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos)
    return false;
  t.host = hostport.substr(0, colon);
  if (t.host == "localhost")
    t.host = "127.0.0.1";
  unsigned port = 0;
  auto ps = hostport.substr(colon + 1);
  auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec != std::errc() || p != ps.data() + ps.size() || port == 0
      || port > 65535)
    return false;
  t.port = static_cast<std::uint16_t>(port);
  beast::error_code bad;
  net::ip::make_address(t.host, bad);
  return !bad;
}

struct driver::impl {
  scenario s;
  roster team;
  target where;
  std::vector<std::unique_ptr<worker>> workers;

  template <class F>
  void on_each(F f) {
    for (auto& w : workers)
      net::post(w->ioc, [&w = *w, f] { f(w); });
  }
};

driver::driver(const scenario& s, roster r, target t)
  : impl_(std::make_unique<impl>()) {
  impl_->s = s;
  impl_->team = std::move(r);
  impl_->where = std::move(t);
  for (int i = 0; i < s.threads; ++i)
    impl_->workers.push_back(std::make_unique<worker>(
      impl_->s, impl_->team, impl_->where, i, s.threads));
}

driver::~driver() {
  shutdown();
}

bool driver::start_agents(std::chrono::milliseconds timeout,
                          std::string& error) {
  if (impl_->s.mode != load_mode::conversations)
    return true;
  impl_->on_each([](worker& w) { w.start_agents(); });
  auto want = impl_->team.agents.size();
  auto want_supervisors
    = std::min(impl_->team.supervisors.size(),
               static_cast<std::size_t>(impl_->s.supervisors));
  auto want_readers = static_cast<std::uint64_t>(impl_->s.history_flood);
  auto deadline = clock_type::now() + timeout;
  std::uint64_t ready = 0;
  std::uint64_t subscribed = 0;
  std::uint64_t readers = 0;
  while (clock_type::now() < deadline) {
    ready = 0;
    subscribed = 0;
    readers = 0;
    std::uint64_t failed = 0;
    for (auto* st : stats()) {
      ready += st->agents_ready.get();
      subscribed += st->supervisors_subscribed.get();
      readers += st->history_sessions_ready.get();
      failed += st->errors[static_cast<std::size_t>(error_kind::connect)].get()
                + st->errors[static_cast<std::size_t>(error_kind::closed)].get()
                + st->errors[static_cast<std::size_t>(error_kind::unauthorized)]
                    .get();
    }
    if (ready >= want && subscribed >= want_supervisors
        && readers >= want_readers)
      return true;
    auto sessions = want + want_supervisors + want_readers;
    if (failed > 0 && ready + subscribed + readers + failed >= sessions) {
      // Nobody left to wait for: say why at once.
      error = "agents and supervisors could not start at " + impl_->where.host
              + ":" + std::to_string(impl_->where.port) + " ("
              + std::to_string(failed)
              + " connect, close or unauthorized errors for "
              + std::to_string(sessions)
              + " sessions; with unauthorized, is the secret of --config "
                "the server's?)";
      return false;
    }
    // Start-up only: a few ms of polling costs nothing.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  error = std::to_string(ready) + " of " + std::to_string(want)
          + " agents ready, " + std::to_string(subscribed) + " of "
          + std::to_string(want_supervisors) + " supervisors subscribed and "
          + std::to_string(readers) + " of " + std::to_string(want_readers)
          + " history flood sessions open after "
          + std::to_string(timeout.count()) + " ms";
  return false;
}

void driver::start_load() {
  impl_->on_each([](worker& w) { w.start_load(); });
}

void driver::stop_arrivals() {
  impl_->on_each([](worker& w) { w.stop_arrivals(); });
}

std::uint64_t driver::in_flight() const {
  std::uint64_t n = 0;
  for (auto& w : impl_->workers)
    n += w->in_flight();
  return n;
}

void driver::shutdown() {
  if (impl_->workers.empty() || stopped_)
    return;
  impl_->on_each([](worker& w) { w.shutdown(); });
  // Every socket is closed: each thread runs out of work shortly. One that
  // does not (a peer that never answers) is stopped after a grace period.
  auto deadline = clock_type::now() + std::chrono::seconds(3);
  for (auto& w : impl_->workers) {
    while (!w->finished() && clock_type::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!w->finished())
      w->ioc.stop();
    w->join();
  }
  // The workers (and their stats) stay until the driver goes.
  stopped_ = true;
}

std::vector<const load_stats*> driver::stats() const {
  std::vector<const load_stats*> all;
  for (auto& w : impl_->workers)
    all.push_back(&w->stats);
  return all;
}

} // namespace baton::bench
