// Random interleavings of the routing service, checked against invariants
// that must hold in any order: one assignee per conversation, capacity, one
// offer at a time, FIFO, no conversation lost. Everything is judged from
// what sinks and replies show, as a client would see it.
//
//   BATON_PROPERTY_SEED=<n>   run only seed n (prints its config and log)
//   BATON_PROPERTY_SEEDS=<n>  run seeds 0..n-1 (default 1000)

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "actors/api.hpp"
#include "engine/config/config.hpp"
#include "engine/overloaded.hpp"

namespace baton::actors::testing {
namespace {

using namespace std::chrono_literals;
using engine::agent_status;
using engine::errc;
using rng_t = std::mt19937_64;

constexpr std::uint64_t default_seeds = 1000;
constexpr int steps_per_seed = 80;
/// Seeds are split across test instances so that ctest can run them in
/// parallel; the instances are named Property/... for --gtest_filter.
constexpr int shards = 4;
/// The end phase: rounds of one tick each, and the round by which every
/// conversation some agent may take has been taken (slots free every round).
constexpr int finish_rounds = 60;
constexpr auto finish_tick = 1000ms;
constexpr int patience = 8;
/// Lines of log shown with a failure (all of them for a single seed).
constexpr std::size_t log_tail = 60;

// -- small helpers ------------------------------------------------------------

int uniform(rng_t& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

bool chance(rng_t& rng, double p) {
  return std::bernoulli_distribution(p)(rng);
}

template <class T>
const T& pick(rng_t& rng, const std::vector<T>& xs) {
  return xs[static_cast<std::size_t>(uniform(rng, 0, int(xs.size()) - 1))];
}

/// Ids are long; logs show the tail, where their counter is.
std::string brief(const std::string& id) {
  if (id.size() <= 8)
    return id;
  return id.substr(0, 2) + ".." + id.substr(id.size() - 4);
}

/// Offer ids end in a per-queue counter (13 Crockford base32 digits), which
/// gives the order in which the queue made them.
std::uint64_t offer_counter(const std::string& offer) {
  static const std::string digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::uint64_t v = 0;
  for (auto i = offer.size() - std::min<std::size_t>(13, offer.size());
       i < offer.size(); ++i)
    v = v * 32 + digits.find(offer[i]);
  return v;
}

std::optional<std::uint64_t> env_number(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0')
    return std::nullopt;
  return std::strtoull(text, nullptr, 10);
}

// -- the configuration --------------------------------------------------------

/// Three push queues sharing 5-6 agents of capacity 1-3. The first two
/// strategies vary by seed, the third is ring_all. `vip` is restricted.
std::string make_config(rng_t& rng) {
  static const std::vector<std::string> first = {"longest_idle", "least_busy",
                                                 "random", "skills"};
  static const std::vector<std::string> second = {"round_robin", "longest_idle",
                                                  "least_busy"};
  std::ostringstream out;
  out << "[routing]\ndefault_queue = \"q1\"\nmax_missed_offers = 2\n"
      << "agent_disconnect_grace_ms = 2000\nreoffer_delay_ms = 500\n\n"
      << "[[topics]]\nid = \"billing\"\n\n"
      << "[[topics]]\nid = \"vip\"\nrestricted = true\n\n";
  std::vector<std::string> strategies = {pick(rng, first), pick(rng, second),
                                         "ring_all"};
  for (int q = 0; q < 3; ++q)
    out << "[[queues]]\nid = \"q" << q + 1 << "\"\nstrategy = \""
        << strategies[q]
        << "\"\noffer_timeout_ms = " << 1000 + 250 * uniform(rng, 0, 8)
        << "\nwait_timeout_ms = 20000\n\n";
  // Overlapping memberships (bit q: queue q+1), each queue with two or more.
  std::vector<int> masks(uniform(rng, 5, 6));
  auto thin = [&] {
    for (int q = 0; q < 3; ++q)
      if (std::count_if(masks.begin(), masks.end(),
                        [q](int m) { return (m >> q) & 1; })
          < 2)
        return true;
    return false;
  };
  do {
    for (auto& m : masks)
      m = uniform(rng, 1, 7);
  } while (thin());
  for (std::size_t a = 0; a < masks.size(); ++a) {
    out << "[[agents]]\nid = \"a" << a + 1 << "\"\nqueues = [";
    for (int q = 0, n = 0; q < 3; ++q)
      if ((masks[a] >> q) & 1)
        out << (n++ > 0 ? ", " : "") << "\"q" << q + 1 << "\"";
    bool vip = chance(rng, 0.4);
    out << "]\ncapacity = " << uniform(rng, 1, 3) << "\ntopics = ["
        << (vip ? "\"vip\"" : "");
    if (chance(rng, 0.4)) // `skills` prefers them for billing
      out << (vip ? ", " : "") << "\"billing\"";
    out << "]\n\n";
  }
  return out.str();
}

std::shared_ptr<const engine::config::config> load(const std::string& toml) {
  auto text = "[auth]\nsecret = \"test-secret\"\n" + toml;
  auto loaded = engine::config::load_string(
    text, "property.toml", [](std::string_view) { return std::nullopt; });
  if (!loaded.ok())
    return nullptr;
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

// -- the model: what the clients were told ------------------------------------

/// An offer as its agent was shown it.
struct offer_seen {
  std::string agent;
  std::string conversation;
  std::string queue;
  engine::time_ms expires_at = 0;
  std::uint64_t counter = 0;
  bool open = true;     ///< no revoke, reply or going offline seen yet
  bool certain = true;  ///< the agent kept a session: no notice was lost
  bool revoked = false; ///< the agent was told it is over
  bool busy = false;    ///< an accept or reject awaits its reply
};

struct conversation_seen {
  std::string customer;
  std::string queue;
  bool fifo = true;     ///< unrestricted topic: FIFO applies
  bool servable = true; ///< some agent of its queue may take the topic
  std::size_t rank = 0; ///< order of the start replies
  /// The highest offer counter of its queue seen before it started: its own
  /// offers come after.
  std::optional<std::uint64_t> floor;
  std::optional<std::uint64_t> first_offer;
  std::vector<std::string> assigned; ///< conversation.assigned, by agent
  std::vector<std::string> joined;   ///< agents the customer saw join
  std::vector<std::string> winners;  ///< agents whose accept got ok
  bool no_agents = false;
  bool closed = false;
  bool close_ok = false; ///< a close request was answered ok
};

struct agent_seen {
  std::int64_t capacity = 1;
  int live = 0;                   ///< sessions not asked to disconnect
  std::set<std::string> assigned; ///< won and not yet closed
};

/// How much the seeds exercised: a property test can pass by testing nothing.
struct tally {
  std::uint64_t offers = 0;
  std::uint64_t wins = 0;
  std::uint64_t losses = 0;
  std::uint64_t races = 0; ///< accepts sent with another of the round pending
  std::uint64_t full = 0;  ///< times an agent was seen at capacity
  std::uint64_t fifo_pairs = 0;
  std::uint64_t fifo_excused = 0;
  std::uint64_t assigned = 0;
  std::uint64_t no_agents = 0;
  std::uint64_t left = 0;

  void add(const tally& t) {
    offers += t.offers;
    wins += t.wins;
    losses += t.losses;
    races += t.races;
    full += t.full;
    fifo_pairs += t.fifo_pairs;
    fifo_excused += t.fifo_excused;
    assigned += t.assigned;
    no_agents += t.no_agents;
    left += t.left;
  }
};

class model;

/// A session's sink that folds each notification into the model as it is
/// delivered, so that invariants are checked between any two messages.
class tap : public event_sink {
public:
  tap(model& m, caller who) : who(std::move(who)), model_(m) {
  }

  void deliver(const notification_ptr& n) override;

  caller who;
  bool live = true; ///< false once its disconnect is submitted

private:
  model& model_;
};

using tap_ptr = std::shared_ptr<tap>;

/// Folds notifications and replies into what each client knows and checks
/// the invariants on it. An agent's load is counted from below (only what it
/// certainly holds), so a capacity breach it reports is real.
class model {
public:
  model(const engine::config::config& cfg, std::vector<std::string>& log)
    : cfg_(cfg), log_(log) {
    for (const auto& a : cfg.agents)
      agents[a.id].capacity = a.capacity;
  }

  std::map<std::string, offer_seen> offers;
  std::map<std::string, conversation_seen> conversations;
  std::map<std::string, agent_seen> agents;
  std::vector<std::string> violations;
  tally counts;

  void fold(const tap& t, const notification_ptr& n) {
    // Every session of a user gets the same pointer, one after the other.
    auto& last = last_[t.who.user];
    bool repeat = last == n;
    last = n;
    if (t.who.role == engine::role::agent)
      fold_agent(t, *n, repeat);
    else if (!repeat)
      fold_customer(*n);
  }

  // -- replies ----------------------------------------------------------------

  void started(const std::string& customer, const start_conversation& r,
               const reply& out) {
    if (!out.ok()) {
      violate("start in " + r.queue + " refused: " + out.message);
      return;
    }
    note(customer + " started " + brief(out.conversation) + " in " + r.queue
         + (r.topic.empty() ? "" : " (" + r.topic + ")"));
    auto& c = conversations[out.conversation];
    c.customer = customer;
    c.queue = r.queue;
    c.rank = ++starts_;
    const auto* topic = cfg_.find_topic(r.topic);
    c.fifo = topic == nullptr || !topic->restricted;
    c.servable = std::any_of(cfg_.agents.begin(), cfg_.agents.end(),
                             [&](const engine::config::agent& a) {
                               return a.in_queue(r.queue)
                                      && (c.fifo || a.has_topic(r.topic));
                             });
    if (auto& seen = counters_[r.queue]; !seen.empty())
      c.floor = *seen.rbegin();
  }

  void accept_sent(const std::string& offer) {
    auto& o = offers.at(offer);
    for (const auto& [id, other] : offers)
      counts.races += other.busy && other.conversation == o.conversation;
    o.busy = true;
  }

  void accept_answered(const std::string& agent, const std::string& offer,
                       bool was_open, const reply& out) {
    note(agent + " accept " + brief(offer) + " -> "
         + (out.ok() ? "ok" : out.message));
    auto* o = find(agent, offer);
    if (o != nullptr)
      o->busy = false;
    if (!out.ok()) {
      ++counts.losses;
      if (out.code != errc::conflict)
        violate(agent + ": accept answered " + out.message);
      if (o != nullptr) {
        check_loss_explained(offer, *o, was_open);
        o->open = false;
      }
      return;
    }
    ++counts.wins;
    if (o == nullptr) {
      violate(agent + " won " + brief(offer) + ", never shown to it");
      return;
    }
    // Told the offer was over, the agent must not be given it after all.
    if (o->revoked)
      violate(agent + " won " + brief(offer) + " after it was revoked");
    auto& c = conversations[o->conversation];
    c.winners.push_back(agent);
    if (c.winners.size() > 1)
      violate("two accepts won " + brief(o->conversation));
    o->open = false;
    // A close answered first releases the agent at once: nothing to count.
    if (!c.close_ok)
      agents[agent].assigned.insert(o->conversation);
    check_capacity(agent);
  }

  void reject_answered(const std::string& agent, const std::string& offer,
                       const reply& out) {
    note(agent + " reject " + brief(offer) + " -> "
         + (out.ok() ? "ok" : out.message));
    // Either way the agent no longer holds it (one request per offer).
    if (auto* o = find(agent, offer)) {
      o->busy = false;
      o->open = false;
    }
  }

  void close_answered(const std::string& who, const std::string& id,
                      bool must_work, const reply& out) {
    note(who + " close " + brief(id) + " -> "
         + (out.ok() ? "ok" : out.message));
    if (!out.ok()) {
      if (must_work)
        violate("assigned " + brief(id)
                + " could not be closed: " + out.message);
      return;
    }
    // Answered before the agents hear of it: their slots are free from here.
    conversations[id].close_ok = true;
    for (auto& [name, a] : agents)
      a.assigned.erase(id);
  }

  /// Without a session the agent's notices are lost: what it was shown may
  /// end unseen, so it no longer counts.
  void session_closing(const std::string& agent) {
    if (--agents[agent].live > 0)
      return;
    for (auto& [id, o] : offers)
      if (o.agent == agent)
        o.certain = false;
  }

  // -- invariants -------------------------------------------------------------

  /// What an agent certainly holds never exceeds its capacity, at any point.
  void check_capacity(const std::string& agent) {
    const auto& a = agents[agent];
    auto load = static_cast<std::int64_t>(a.assigned.size());
    std::string held;
    for (const auto& c : a.assigned)
      held += " assigned:" + brief(c);
    for (const auto& [id, o] : offers)
      if (o.agent == agent && o.open && o.certain) {
        ++load;
        held += " offer:" + brief(id) + "(" + brief(o.conversation) + ")";
      }
    if (load > a.capacity)
      violate(agent + " holds " + std::to_string(load) + " > capacity "
              + std::to_string(a.capacity) + ":" + held);
    counts.full += load == a.capacity;
  }

  /// Outside ring_all a conversation is offered to one agent at a time. Two
  /// offers overlap only while a revoke is on its way: the older one expired
  /// before the newer was made.
  void check_single_offer(const std::string& offer) {
    const auto& n = offers.at(offer);
    const auto* q = cfg_.find_queue(n.queue);
    if (q->strategy == engine::strategy::ring_all || !n.certain)
      return;
    for (const auto& [id, o] : offers)
      if (id != offer && o.conversation == n.conversation && o.open && o.certain
          && std::abs(o.expires_at - n.expires_at) < q->offer_timeout_ms)
        violate(brief(n.conversation) + " has two open offers: " + brief(id)
                + " to " + o.agent + " and " + brief(offer) + " to " + n.agent);
  }

  /// An accept of an open offer loses only to what the agent is told of: a
  /// revoke (taken by the one winner of a ring_all round, timeout, abandoned,
  /// cancelled). Anything else is a lost win.
  void check_loss_explained(const std::string& offer, const offer_seen& o,
                            bool was_open) {
    if (was_open && o.certain && !o.revoked)
      violate(o.agent + " lost " + brief(offer) + " of " + brief(o.conversation)
              + " without being told why");
  }

  /// At rest: the accept that won is the conversation's one assignment, and
  /// its customer saw that agent join; every assignment came from a win.
  void check_assignments() {
    for (const auto& [id, c] : conversations) {
      if (c.assigned != c.winners)
        violate(brief(id) + ": the customer saw it assigned to ["
                + join(c.assigned) + "], accepts were won by ["
                + join(c.winners) + "]");
      for (const auto& w : c.winners)
        if (std::find(c.joined.begin(), c.joined.end(), w) == c.joined.end())
          violate(brief(id) + ": " + w + " won, the customer never saw " + w
                  + " join");
    }
  }

  /// With every agent ready, connected and free, a conversation some agent
  /// may take does not sit waiting.
  void check_served() {
    for (const auto& [id, c] : conversations)
      if (!c.closed && c.servable)
        violate(brief(id) + " (" + c.queue
                + ") still waiting while every agent is free");
  }

  /// At the end: each conversation was assigned, closed for no agents, or
  /// left by its customer while waiting. Never two of these, never none.
  void check_outcomes() {
    for (const auto& [id, c] : conversations) {
      bool assigned = !c.assigned.empty();
      bool left = c.closed && !assigned && !c.no_agents && c.close_ok;
      if (!c.closed)
        violate(brief(id) + " (" + c.queue + ") never closed");
      else if (assigned && c.no_agents)
        violate(brief(id) + " both assigned and closed for no agents");
      else if (!assigned && !c.no_agents && !left)
        violate(brief(id) + " closed without assignment or no_agents");
      counts.assigned += assigned;
      counts.no_agents += c.no_agents;
      counts.left += left;
    }
  }

  /// At the end, with everything closed, no agent holds anything it was
  /// shown: a slot not given back is lost for good.
  void check_nothing_held() {
    for (const auto& [id, o] : offers)
      if (o.open && o.certain)
        violate(o.agent + " still holds " + brief(id) + " of closed "
                + brief(o.conversation));
    for (const auto& [name, a] : agents)
      if (!a.assigned.empty())
        violate(name + " still assigned after every close");
  }

  /// Within a queue, unrestricted conversations get their first offers in
  /// the order they started. A younger one goes first only past an offer no
  /// one was shown (an agent the queue thought free turned it down), which
  /// leaves a gap in the queue's offer counters.
  void check_fifo() {
    for (const auto& [x_id, x] : conversations)
      for (const auto& [y_id, y] : conversations) {
        if (x.queue != y.queue || x.rank >= y.rank || !x.fifo || !y.fifo
            || !x.first_offer || !y.first_offer)
          continue;
        ++counts.fifo_pairs;
        if (*x.first_offer < *y.first_offer)
          continue;
        // With nothing seen before x started, a gap may hide below.
        if (!x.floor || gap_between(x.queue, *x.floor, *y.first_offer)) {
          ++counts.fifo_excused;
          continue;
        }
        violate("FIFO in " + x.queue + ": " + brief(y_id)
                + " was offered before " + brief(x_id)
                + ", which started first");
      }
  }

  void violate(std::string what) {
    note("VIOLATION: " + what);
    violations.push_back(std::move(what));
  }

  void note(std::string line) {
    log_.push_back(std::move(line));
  }

private:
  offer_seen* find(const std::string& agent, const std::string& offer) {
    auto i = offers.find(offer);
    if (i == offers.end() || i->second.agent != agent)
      return nullptr;
    return &i->second;
  }

  bool gap_between(const std::string& queue, std::uint64_t lo,
                   std::uint64_t hi) const {
    const auto& seen = counters_.at(queue);
    auto shown = std::distance(seen.upper_bound(lo), seen.lower_bound(hi));
    return hi > lo + 1 && static_cast<std::uint64_t>(shown) < hi - lo - 1;
  }

  static std::string join(const std::vector<std::string>& xs) {
    std::string out;
    for (const auto& x : xs)
      out += (out.empty() ? "" : ",") + x;
    return out;
  }

  void fold_agent(const tap& t, const notification& n, bool repeat) {
    const auto& agent = t.who.user;
    if (const auto* x = std::get_if<offer_notice>(&n.body)) {
      if (!repeat)
        shown(agent, n.conversation, *x, t.live);
      else if (auto* o = find(agent, x->offer); o != nullptr && t.live)
        o->certain = true; // also on a live session: nothing will be lost
    } else if (const auto* x = std::get_if<offer_revoked_notice>(&n.body)) {
      if (!repeat)
        revoked(agent, *x);
    } else if (const auto* x = std::get_if<agent_status_notice>(&n.body)) {
      if (!repeat)
        note(agent + " is " + std::string{engine::to_string(x->status)}
             + (x->reason.empty() ? "" : " (" + x->reason + ")"));
    }
  }

  void shown(const std::string& agent, const std::string& conversation,
             const offer_notice& x, bool live) {
    note(agent + " shown " + brief(x.offer) + " for " + brief(conversation)
         + " in " + x.queue + (live ? "" : " (on a closing session)"));
    if (offers.count(x.offer) > 0) {
      violate(brief(x.offer) + " shown twice");
      return;
    }
    ++counts.offers;
    auto& o = offers[x.offer];
    o.agent = agent;
    o.conversation = conversation;
    o.queue = x.queue;
    o.expires_at = x.expires_at;
    o.counter = offer_counter(x.offer);
    o.certain = live;
    counters_[x.queue].insert(o.counter);
    auto& first = conversations[conversation].first_offer;
    if (!first || o.counter < *first)
      first = o.counter;
    check_capacity(agent);
    check_single_offer(x.offer);
  }

  void revoked(const std::string& agent, const offer_revoked_notice& x) {
    note(agent + " told " + brief(x.offer) + " is revoked ("
         + std::string{engine::to_string(x.reason)} + ")");
    auto* o = find(agent, x.offer);
    if (o == nullptr) {
      violate(agent + " told of a revoke of " + brief(x.offer)
              + ", never shown to it");
      return;
    }
    o->open = false;
    o->revoked = true;
  }

  void fold_customer(const notification& n) {
    const auto* e = std::get_if<engine::event>(&n.body);
    if (e == nullptr)
      return;
    auto i = conversations.find(n.conversation);
    if (i == conversations.end()) {
      violate("a customer event for unknown " + brief(n.conversation));
      return;
    }
    auto& c = i->second;
    auto id = brief(n.conversation);
    auto fold = engine::overloaded{
      [&](const engine::conversation_assigned& x) {
        note(id + " assigned to " + x.agent);
        c.assigned.push_back(x.agent);
        if (c.assigned.size() > 1)
          violate(id + " has a second assignee: " + x.agent);
        if (c.no_agents)
          violate(id + " assigned after no_agents");
      },
      [&](const engine::participant_joined& x) {
        if (x.who.role == engine::role::agent)
          c.joined.push_back(x.who.id);
      },
      [&](const engine::no_agents&) {
        note(id + " closed for no agents");
        c.no_agents = true;
        if (!c.assigned.empty())
          violate(id + " closed for no agents after assignment");
      },
      [&](const engine::conversation_closed& x) {
        note(id + " closed by " + x.by);
        if (c.closed)
          violate(id + " closed twice");
        c.closed = true;
      },
      [](const auto&) {},
    };
    std::visit(fold, e->body);
  }

  const engine::config::config& cfg_;
  std::vector<std::string>& log_;
  std::size_t starts_ = 0;
  /// Offer counters shown, by queue.
  std::map<std::string, std::set<std::uint64_t>> counters_;
  std::map<std::string, notification_ptr> last_;
};

void tap::deliver(const notification_ptr& n) {
  model_.fold(*this, n);
}

// -- one seed -----------------------------------------------------------------

/// One seed: its own actor system on the deterministic scheduler, a random
/// configuration, and random operations whose messages are delivered in a
/// random order (each mailbox stays in order, as CAF guarantees).
class seed_run {
public:
  explicit seed_run(std::uint64_t seed) : seed_(seed), rng_(seed) {
  }

  ~seed_run() {
    if (service_)
      service_->shutdown();
    if (fx_)
      fx_->sched.run();
  }

  /// The first violation, with the log leading up to it; nothing if none.
  std::optional<std::string> go() {
    toml_ = make_config(rng_);
    cfg_ = load(toml_);
    if (cfg_ == nullptr)
      return "seed " + std::to_string(seed_) + ": bad config\n" + toml_;
    model_ = std::make_unique<model>(*cfg_, log_);
    fx_ = std::make_unique<test_coordinator_fixture<>>();
    service_ = std::make_unique<routing_service>(fx_->sys, cfg_,
                                                 service_options{seed_});
    for (const auto& a : cfg_->agents) {
      agent_ids_.push_back(a.id);
      open_session(a.id);
      if (chance(rng_, 0.8))
        set_status(a.id, agent_status::ready);
    }
    settle();
    for (int step = 0; step < steps_per_seed; ++step) {
      log_.push_back("-- step " + std::to_string(step));
      one_step();
      if (!model_->violations.empty())
        return failure();
    }
    log_.push_back("-- finish");
    finish();
    if (!model_->violations.empty())
      return failure();
    return std::nullopt;
  }

  const tally& counts() const {
    return model_->counts;
  }

private:
  // -- delivery ---------------------------------------------------------------

  /// Delivers one message to a random actor that has mail. Actors are
  /// picked by id, not by place in the queue: offer ids carry wall-clock
  /// time and actors walk maps keyed by them, so the queue's order varies
  /// from run to run while a seed must replay exactly.
  bool deliver_one() {
    auto& jobs = fx_->sched.jobs;
    if (jobs.empty())
      return false;
    auto id = [](caf::resumable* job) {
      return dynamic_cast<caf::abstract_actor*>(job)->id();
    };
    std::sort(jobs.begin(), jobs.end(),
              [&](auto* x, auto* y) { return id(x) < id(y); });
    auto i = jobs.begin() + uniform(rng_, 0, int(jobs.size()) - 1);
    std::rotate(jobs.begin(), i, i + 1);
    return fx_->sched.try_run_once();
  }

  void deliver_some(int n) {
    while (n-- > 0 && deliver_one()) {
    }
  }

  void settle() {
    while (deliver_one()) {
    }
  }

  /// Fires the timers that fall due; their messages wait for delivery.
  void advance(std::chrono::milliseconds by) {
    log_.push_back("advance " + std::to_string(by.count()) + "ms");
    fx_->sched.clock().advance_time(by);
  }

  // -- a step -----------------------------------------------------------------

  /// 1-3 operations with some messages delivered between them; then usually
  /// quiet and the checks that need it, else messages left in flight.
  void one_step() {
    int ops = uniform(rng_, 1, 3);
    for (int i = 0; i < ops; ++i) {
      if (i > 0)
        deliver_some(uniform(rng_, 0, 6));
      random_operation();
    }
    if (chance(rng_, 0.75)) {
      settle();
      model_->check_assignments();
    } else {
      deliver_some(uniform(rng_, 0, 8));
    }
  }

  void random_operation() {
    // start, accept, reject, customer close, agent close, message, status,
    // disconnect, reconnect, clock, ring_all race
    static const std::vector<int> weights = {16, 20, 7, 6,  5, 5,
                                             9,  4,  4, 16, 4};
    std::discrete_distribution<int> op(weights.begin(), weights.end());
    switch (op(rng_)) {
      case 0:
        return start();
      case 1:
        return accept(chance(rng_, 0.15));
      case 2:
        return reject();
      case 3:
        return customer_close();
      case 4:
        return agent_close();
      case 5:
        return message();
      case 6:
        return random_status();
      case 7:
        return disconnect();
      case 8:
        return reconnect();
      case 9:
        return random_advance();
      default:
        return race();
    }
  }

  // -- operations -------------------------------------------------------------

  void start() {
    static const std::vector<std::string> topics = {"", "", "", "billing",
                                                    "vip"};
    auto customer = "k" + std::to_string(++customers_);
    start_conversation r;
    r.queue = "q" + std::to_string(uniform(rng_, 1, 3));
    r.topic = pick(rng_, topics);
    r.text = "hello";
    service_->connect(as_customer(customer),
                      std::make_shared<tap>(*model_, as_customer(customer)));
    service_->submit(as_customer(customer), r,
                     [this, customer, r](const reply& out) {
                       model_->started(customer, r, out);
                     });
  }

  /// Agents with a session: only they make requests, as through a gateway.
  std::vector<std::string> present_agents() const {
    std::vector<std::string> out;
    for (const auto& id : agent_ids_)
      if (model_->agents.at(id).live > 0)
        out.push_back(id);
    return out;
  }

  /// An offer of a present agent with no request pending; `any` also takes
  /// ones already over, to accept or reject them on purpose.
  std::optional<std::string> some_offer(bool any) {
    std::vector<std::string> ids;
    for (const auto& [id, o] : model_->offers)
      if (!o.busy && (any || o.open) && model_->agents.at(o.agent).live > 0)
        ids.push_back(id);
    if (ids.empty())
      return std::nullopt;
    return pick(rng_, ids);
  }

  void accept(bool stale) {
    if (auto id = some_offer(stale))
      accept_now(*id);
    else
      random_advance();
  }

  void accept_now(const std::string& id) {
    const auto& o = model_->offers.at(id);
    auto agent = o.agent;
    bool was_open = o.open && o.certain;
    last_agent_ = agent;
    log_.push_back(agent + " accepts " + brief(id));
    model_->accept_sent(id);
    service_->submit(as_agent(agent), accept_offer{id},
                     [this, agent, id, was_open](const reply& out) {
                       model_->accept_answered(agent, id, was_open, out);
                     });
  }

  /// Every agent of a round accepts, in random order: one must win.
  void race() {
    std::map<std::string, std::vector<std::string>> rounds;
    for (const auto& [id, o] : model_->offers)
      if (o.open && !o.busy && model_->agents.at(o.agent).live > 0)
        rounds[o.conversation].push_back(id);
    std::erase_if(rounds, [](const auto& kv) { return kv.second.size() < 2; });
    if (rounds.empty())
      return accept(false);
    auto round = std::next(rounds.begin(),
                           uniform(rng_, 0, int(rounds.size()) - 1))
                   ->second;
    std::shuffle(round.begin(), round.end(), rng_);
    for (const auto& id : round) {
      accept_now(id);
      deliver_some(uniform(rng_, 0, 2));
    }
  }

  void reject() {
    auto id = some_offer(chance(rng_, 0.15));
    if (!id)
      return random_advance();
    auto& o = model_->offers.at(*id);
    auto agent = o.agent;
    o.busy = true;
    log_.push_back(agent + " rejects " + brief(*id));
    service_->submit(as_agent(agent), reject_offer{*id, "busy"},
                     [this, agent, id = *id](const reply& out) {
                       model_->reject_answered(agent, id, out);
                     });
  }

  std::vector<std::string> conversation_ids(bool open_only) const {
    std::vector<std::string> out;
    for (const auto& [id, c] : model_->conversations)
      if (!open_only || (!c.closed && !c.close_ok))
        out.push_back(id);
    return out;
  }

  void customer_close() {
    auto ids = conversation_ids(chance(rng_, 0.85));
    if (ids.empty())
      return start();
    close_as_customer(pick(rng_, ids), false);
  }

  void close_as_customer(const std::string& id, bool must_work) {
    auto customer = model_->conversations.at(id).customer;
    log_.push_back(customer + " closes " + brief(id));
    service_->submit(as_customer(customer), close_conversation{id, {}},
                     [this, customer, id, must_work](const reply& out) {
                       model_->close_answered(customer, id, must_work, out);
                     });
  }

  void agent_close() {
    std::vector<std::pair<std::string, std::string>> held;
    for (const auto& agent : present_agents())
      for (const auto& c : model_->agents.at(agent).assigned)
        held.emplace_back(agent, c);
    if (held.empty())
      return customer_close();
    auto [agent, id] = pick(rng_, held);
    log_.push_back(agent + " closes " + brief(id));
    service_->submit(as_agent(agent), close_conversation{id, "resolved"},
                     [this, agent = agent, id = id](const reply& out) {
                       model_->close_answered(agent, id, false, out);
                     });
  }

  void message() {
    auto ids = conversation_ids(true);
    if (ids.empty())
      return start();
    const auto& id = pick(rng_, ids);
    service_->submit(as_customer(model_->conversations.at(id).customer),
                     send_message{id, "more", {}}, [](const reply&) {});
  }

  void random_status() {
    static const std::vector<agent_status> statuses = {
      agent_status::ready,     agent_status::ready,     agent_status::ready,
      agent_status::not_ready, agent_status::not_ready, agent_status::offline};
    auto agents = present_agents();
    if (agents.empty())
      return reconnect();
    // Often the agent that acted last (accept, then go offline), and offline
    // is often a flap straight back to ready.
    if (model_->agents.at(last_agent_).live > 0 && chance(rng_, 0.5))
      agents = {last_agent_};
    auto agent = pick(rng_, agents);
    auto status = pick(rng_, statuses);
    set_status(agent, status);
    if (status == agent_status::offline && chance(rng_, 0.5)) {
      deliver_some(uniform(rng_, 0, 3));
      set_status(agent, agent_status::ready);
    }
  }

  void set_status(const std::string& agent, agent_status s) {
    log_.push_back(agent + " sets " + std::string{engine::to_string(s)});
    service_->submit(as_agent(agent), set_agent_status{s, {}},
                     [this, agent](const reply& out) {
                       if (!out.ok())
                         model_->violate(agent + ": status refused");
                     });
  }

  void disconnect() {
    std::vector<tap_ptr> live;
    for (const auto& [agent, sessions] : sessions_)
      for (const auto& s : sessions)
        if (s->live)
          live.push_back(s);
    if (live.empty())
      return reconnect();
    const auto& s = pick(rng_, live);
    log_.push_back(s->who.user + " closes a session");
    s->live = false;
    model_->session_closing(s->who.user);
    service_->disconnect(s->who, s);
  }

  void reconnect() {
    std::vector<std::string> candidates;
    for (const auto& id : agent_ids_)
      if (model_->agents.at(id).live < 2)
        candidates.push_back(id);
    if (candidates.empty())
      return random_advance();
    auto agent = pick(rng_, candidates);
    open_session(agent);
    if (chance(rng_, 0.5))
      set_status(agent, agent_status::ready);
  }

  void open_session(const std::string& agent) {
    log_.push_back(agent + " opens a session");
    auto sink = std::make_shared<tap>(*model_, as_agent(agent));
    sessions_[agent].push_back(sink);
    ++model_->agents.at(agent).live;
    service_->connect(as_agent(agent), sink);
  }

  void random_advance() {
    int roll = uniform(rng_, 0, 99);
    int ms = roll < 85   ? uniform(rng_, 50, 1500)
             : roll < 97 ? uniform(rng_, 2000, 6000)
                         : uniform(rng_, 15000, 25000);
    advance(std::chrono::milliseconds{ms});
  }

  // -- the end ----------------------------------------------------------------

  /// Everyone ready and connected; accept whatever is offered and close
  /// what is won, until every conversation is over or time runs out.
  void finish() {
    for (const auto& id : agent_ids_)
      if (model_->agents.at(id).live == 0)
        open_session(id);
    for (const auto& id : agent_ids_)
      set_status(id, agent_status::ready);
    settle();
    for (int i = 0; i < finish_rounds && !all_closed(); ++i) {
      if (i == patience)
        model_->check_served();
      take_everything();
      advance(finish_tick);
      settle();
    }
    model_->check_assignments();
    model_->check_outcomes();
    model_->check_nothing_held();
    model_->check_fifo();
  }

  /// Accepts every open offer and closes every won conversation until there
  /// is nothing left to do before time moves on.
  void take_everything() {
    for (bool busy = true; busy;) {
      std::vector<std::string> open;
      for (const auto& [id, o] : model_->offers)
        if (o.open && !o.busy)
          open.push_back(id);
      for (const auto& id : open)
        accept_now(id);
      busy = !open.empty();
      for (const auto& [id, c] : model_->conversations)
        if (!c.winners.empty() && !c.close_ok && !c.closed) {
          close_as_customer(id, true);
          busy = true;
        }
      settle();
    }
  }

  bool all_closed() const {
    return std::all_of(model_->conversations.begin(),
                       model_->conversations.end(),
                       [](const auto& kv) { return kv.second.closed; });
  }

  // -- reporting --------------------------------------------------------------

  std::string failure() const {
    bool alone = env_number("BATON_PROPERTY_SEED").has_value();
    std::ostringstream out;
    out << "seed " << seed_ << ": " << model_->violations.front() << "\n";
    for (std::size_t i = 1; i < model_->violations.size(); ++i)
      out << "  and: " << model_->violations[i] << "\n";
    out << "(rerun with BATON_PROPERTY_SEED=" << seed_ << ")\n";
    if (alone)
      out << toml_;
    auto from = alone || log_.size() < log_tail ? 0 : log_.size() - log_tail;
    out << "log" << (from > 0 ? ", the end" : "") << ":\n";
    for (auto i = from; i < log_.size(); ++i)
      out << "  " << log_[i] << "\n";
    return out.str();
  }

  static caller as_agent(const std::string& id) {
    return {id, engine::role::agent, id};
  }

  static caller as_customer(const std::string& id) {
    return {id, engine::role::customer, id};
  }

  std::uint64_t seed_;
  rng_t rng_;
  std::string toml_;
  std::vector<std::string> log_;
  std::shared_ptr<const engine::config::config> cfg_;
  std::unique_ptr<model> model_;
  std::unique_ptr<test_coordinator_fixture<>> fx_;
  std::unique_ptr<routing_service> service_;
  std::vector<std::string> agent_ids_;
  std::map<std::string, std::vector<tap_ptr>> sessions_;
  std::string last_agent_ = "a1";
  int customers_ = 0;
};

// -- the test -----------------------------------------------------------------

class RoutingPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(RoutingPropertyTest, InvariantsHoldAcrossSeededInterleavings) {
  const auto shard = static_cast<std::uint64_t>(GetParam());
  std::vector<std::uint64_t> seeds;
  if (auto only = env_number("BATON_PROPERTY_SEED")) {
    if (*only % shards != shard)
      GTEST_SKIP() << "seed " << *only << " runs in shard " << *only % shards;
    seeds.push_back(*only);
  } else {
    auto count = env_number("BATON_PROPERTY_SEEDS").value_or(default_seeds);
    for (auto s = shard; s < count; s += shards)
      seeds.push_back(s);
  }
  std::vector<std::uint64_t> failed;
  tally total;
  for (auto seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    seed_run one{seed};
    auto problem = one.go();
    total.add(one.counts());
    if (!problem)
      continue;
    // The first few in full, the rest by number.
    if (failed.size() < 3)
      ADD_FAILURE() << *problem;
    failed.push_back(seed);
  }
  std::cout << "[ coverage ] " << seeds.size() << " seeds: " << total.offers
            << " offers shown, " << total.wins << " accepts won, "
            << total.losses << " lost, " << total.races << " raced; "
            << total.full << " times an agent was full; " << total.fifo_pairs
            << " FIFO pairs (" << total.fifo_excused << " excused); "
            << total.assigned << " assigned, " << total.no_agents
            << " no_agents, " << total.left << " left\n";
  std::string list;
  for (auto s : failed)
    list += " " + std::to_string(s);
  EXPECT_TRUE(failed.empty())
    << failed.size() << " of " << seeds.size() << " seeds failed:" << list;
}

INSTANTIATE_TEST_SUITE_P(Property, RoutingPropertyTest,
                         ::testing::Range(0, shards));

} // namespace
} // namespace baton::actors::testing
