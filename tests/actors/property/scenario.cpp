#include "tests/actors/property/scenario.hpp"

#include <algorithm>
#include <iterator>
#include <sstream>
#include <utility>

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

#include "engine/conversation/replay.hpp"

namespace baton::actors::testing::property {

namespace {

using namespace std::chrono_literals;
using engine::agent_status;

constexpr int steps_per_seed = 80;
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
  auto text = "[auth]\nsecret = \"test-secret-0123456789abcdef01234\"\n" + toml;
  auto loaded = engine::config::load_string(
    text, "property.toml", [](std::string_view) { return std::nullopt; });
  if (!loaded.ok())
    return nullptr;
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

} // namespace

// -- one seed -----------------------------------------------------------------

seed_run::seed_run(std::uint64_t seed, bool alone)
  : seed_(seed), alone_(alone), rng_(seed) {
}

seed_run::~seed_run() {
  if (service_)
    service_->shutdown();
  if (fx_)
    fx_->sched.run();
}

std::optional<std::string> seed_run::go() {
  toml_ = make_config(rng_);
  cfg_ = load(toml_);
  if (cfg_ == nullptr)
    return "seed " + std::to_string(seed_) + ": bad config\n" + toml_;
  model_ = std::make_unique<model>(*cfg_, log_);
  fx_ = std::make_unique<test_coordinator_fixture<>>();
  // One to three hubs: each user's sessions on one of them, as a node with
  // that many scheduler workers runs.
  service_options options{seed_};
  options.hubs = 1 + seed_ % 3;
  log_.push_back("-- " + std::to_string(options.hubs) + " hubs");
  service_ = std::make_unique<routing_service>(fx_->sys, cfg_, options);
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
  replay_stories();
  if (!model_->violations.empty())
    return failure();
  return std::nullopt;
}

const tally& seed_run::counts() const {
  return model_->counts;
}

bool seed_run::deliver_one() {
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

void seed_run::deliver_some(int n) {
  while (n-- > 0 && deliver_one()) {
  }
}

void seed_run::settle() {
  while (deliver_one()) {
  }
}

void seed_run::advance(std::chrono::milliseconds by) {
  log_.push_back("advance " + std::to_string(by.count()) + "ms");
  fx_->sched.clock().advance_time(by);
}

void seed_run::one_step() {
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

void seed_run::random_operation() {
  // start, accept, reject, customer close, agent close, message, status,
  // disconnect, reconnect, clock, ring_all race
  static const std::vector<int> weights = {16, 20, 7, 6, 5, 5, 9, 4, 4, 16, 4};
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

void seed_run::submit(const caller& who, request r, reply_fn done) {
  model_->asked(who.user);
  service_->submit(who, std::move(r),
                   [this, user = who.user, done](const reply& out) {
                     done(out);
                     model_->answered(user);
                   });
}

void seed_run::start() {
  static const std::vector<std::string> topics = {"", "", "", "billing", "vip"};
  auto customer = "k" + std::to_string(++customers_);
  start_conversation r;
  r.queue = "q" + std::to_string(uniform(rng_, 1, 3));
  r.topic = pick(rng_, topics);
  r.text = "hello";
  auto sink = std::make_shared<tap>(*model_, as_customer(customer));
  model_->track(sink);
  service_->connect(as_customer(customer), sink);
  submit(as_customer(customer), r,
         [this, customer, r, ticket = model_->start_asked(r.queue)](
           const reply& out) { model_->started(customer, r, ticket, out); });
}

std::vector<std::string> seed_run::present_agents() const {
  std::vector<std::string> out;
  for (const auto& id : agent_ids_)
    if (model_->agents.at(id).live > 0)
      out.push_back(id);
  return out;
}

std::optional<std::string> seed_run::some_offer(bool any) {
  std::vector<std::string> ids;
  for (const auto& [id, o] : model_->offers)
    if (!o.busy && (any || o.open) && model_->agents.at(o.agent).live > 0)
      ids.push_back(id);
  if (ids.empty())
    return std::nullopt;
  return pick(rng_, ids);
}

void seed_run::accept(bool stale) {
  if (auto id = some_offer(stale))
    accept_now(*id);
  else
    random_advance();
}

void seed_run::accept_now(const std::string& id) {
  const auto& o = model_->offers.at(id);
  auto agent = o.agent;
  bool was_open = o.open && o.certain;
  last_agent_ = agent;
  log_.push_back(agent + " accepts " + brief(id));
  model_->accept_sent(id);
  submit(as_agent(agent), accept_offer{id},
         [this, agent, id, was_open](const reply& out) {
           model_->accept_answered(agent, id, was_open, out);
         });
}

void seed_run::race() {
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

void seed_run::reject() {
  auto id = some_offer(chance(rng_, 0.15));
  if (!id)
    return random_advance();
  auto& o = model_->offers.at(*id);
  auto agent = o.agent;
  o.busy = true;
  o.rejecting = true;
  log_.push_back(agent + " rejects " + brief(*id));
  submit(as_agent(agent), reject_offer{*id, "busy"},
         [this, agent, id = *id](const reply& out) {
           model_->reject_answered(agent, id, out);
         });
}

std::vector<std::string> seed_run::conversation_ids(bool open_only) const {
  std::vector<std::string> out;
  for (const auto& [id, c] : model_->conversations)
    if (!open_only || (!c.closed && !c.close_ok))
      out.push_back(id);
  return out;
}

void seed_run::customer_close() {
  auto ids = conversation_ids(chance(rng_, 0.85));
  if (ids.empty())
    return start();
  close_as_customer(pick(rng_, ids), false);
}

void seed_run::close_as_customer(const std::string& id, bool must_work) {
  auto customer = model_->conversations.at(id).customer;
  log_.push_back(customer + " closes " + brief(id));
  submit(as_customer(customer), close_conversation{id, {}},
         [this, customer, id, must_work](const reply& out) {
           model_->close_answered(customer, id, must_work, out);
         });
}

void seed_run::agent_close() {
  std::vector<std::pair<std::string, std::string>> held;
  for (const auto& agent : present_agents())
    for (const auto& c : model_->agents.at(agent).assigned)
      held.emplace_back(agent, c);
  if (held.empty())
    return customer_close();
  auto [agent, id] = pick(rng_, held);
  log_.push_back(agent + " closes " + brief(id));
  submit(as_agent(agent), close_conversation{id, "resolved"},
         [this, agent = agent, id = id](const reply& out) {
           model_->close_answered(agent, id, false, out);
         });
}

void seed_run::message() {
  auto ids = conversation_ids(true);
  if (ids.empty())
    return start();
  const auto& id = pick(rng_, ids);
  submit(as_customer(model_->conversations.at(id).customer),
         send_message{id, "more", {}}, [](const reply&) {});
}

void seed_run::random_status() {
  static const std::vector<agent_status> statuses
    = {agent_status::ready,     agent_status::ready,     agent_status::ready,
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

void seed_run::set_status(const std::string& agent, agent_status s) {
  log_.push_back(agent + " sets " + std::string{engine::to_string(s)});
  submit(as_agent(agent), set_agent_status{s, {}},
         [this, agent](const reply& out) {
           if (!out.ok())
             model_->violate(agent + ": status refused");
         });
}

void seed_run::disconnect() {
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
  bool another_greeted = false;
  for (const auto& other : sessions_[s->who.user])
    another_greeted |= other->live && other->is_greeted();
  model_->session_closing(s->who.user, another_greeted);
  service_->disconnect(s->who, s);
}

void seed_run::reconnect() {
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

void seed_run::open_session(const std::string& agent) {
  log_.push_back(agent + " opens a session");
  auto sink = std::make_shared<tap>(*model_, as_agent(agent), true);
  model_->track(sink);
  sessions_[agent].push_back(sink);
  ++model_->agents.at(agent).live;
  service_->connect(as_agent(agent), sink,
                    [sink](const reply& hello) { sink->greeted(hello); });
}

void seed_run::random_advance() {
  int roll = uniform(rng_, 0, 99);
  int ms = roll < 85   ? uniform(rng_, 50, 1500)
           : roll < 97 ? uniform(rng_, 2000, 6000)
                       : uniform(rng_, 15000, 25000);
  advance(std::chrono::milliseconds{ms});
}

void seed_run::finish() {
  for (const auto& id : agent_ids_)
    if (model_->agents.at(id).live == 0)
      open_session(id);
  for (const auto& id : agent_ids_)
    set_status(id, agent_status::ready);
  settle();
  read_stories();
  for (int i = 0; i < finish_rounds && !all_closed(); ++i) {
    // An offer that timed out just before the finish may have set its agent
    // not ready after all: ready again, well before judging.
    for (const auto& id : agent_ids_)
      if (i < patience && model_->agents.at(id).status != agent_status::ready)
        set_status(id, agent_status::ready);
    settle();
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

void seed_run::take_everything() {
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

bool seed_run::all_closed() const {
  return std::all_of(model_->conversations.begin(), model_->conversations.end(),
                     [](const auto& kv) { return kv.second.closed; });
}

std::string seed_run::failure() const {
  std::ostringstream out;
  out << "seed " << seed_ << ": " << model_->violations.front() << "\n";
  for (std::size_t i = 1; i < model_->violations.size(); ++i)
    out << "  and: " << model_->violations[i] << "\n";
  out << "(rerun with BATON_PROPERTY_SEED=" << seed_ << ")\n";
  if (alone_)
    out << toml_;
  auto from = alone_ || log_.size() < log_tail ? 0 : log_.size() - log_tail;
  out << "log" << (from > 0 ? ", the end" : "") << ":\n";
  for (auto i = from; i < log_.size(); ++i)
    out << "  " << log_[i] << "\n";
  return out.str();
}

void seed_run::read_stories() {
  const caller supervisor{"sup", engine::role::supervisor, "sup"};
  for (const auto& [id, seen] : model_->conversations)
    submit(supervisor, explain_conversation{id, {}}, [this](const reply& out) {
      if (const auto* x = std::get_if<explanation>(&out.body); x && out.ok())
        stories_.push_back(x->steps);
    });
  settle();
}

void seed_run::replay_stories() {
  // The first queue's strategy, changed: longest_idle, or least_busy when
  // it was that already.
  auto changed = toml_;
  auto at = changed.find("strategy = \"") + 12;
  auto end = changed.find('"', at);
  changed.replace(at, end - at,
                  changed.substr(at, end - at) == "longest_idle"
                    ? "least_busy"
                    : "longest_idle");
  auto other = load(changed);
  for (const auto& story : stories_) {
    auto same = engine::replay_routing(story, *cfg_);
    model_->counts.replayed += same.decisions;
    for (const auto& d : same.differences)
      model_->violations.push_back("replay of seq " + std::to_string(d.seq)
                                   + ": recorded " + d.recorded + ", replayed "
                                   + d.replayed);
    model_->counts.changed_by_config
      += engine::replay_routing(story, *other).differences.size();
  }
}

caller seed_run::as_agent(const std::string& id) {
  return {id, engine::role::agent, id};
}

caller seed_run::as_customer(const std::string& id) {
  return {id, engine::role::customer, id};
}

} // namespace baton::actors::testing::property
