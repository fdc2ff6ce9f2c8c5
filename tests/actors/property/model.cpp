#include "tests/actors/property/model.hpp"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <utility>
#include <variant>

#include "engine/overloaded.hpp"

namespace baton::actors::testing::property {

namespace {

using engine::errc;

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

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : ",") + x;
  return out;
}

} // namespace

std::string brief(const std::string& id) {
  if (id.size() <= 8)
    return id;
  return id.substr(0, 2) + ".." + id.substr(id.size() - 4);
}

void tally::add(const tally& t) {
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
  replayed += t.replayed;
  changed_by_config += t.changed_by_config;
}

void tap::deliver(const notification_ptr& n) {
  if (!greeted_ || hello_ || model_.owes_replies(who.user)) {
    early_.push_back(n);
    return;
  }
  model_.fold(*this, n);
}

void tap::greeted(const reply& hello) {
  greeted_ = true;
  hello_ = hello;
  release();
}

void tap::release() {
  if (!greeted_ || model_.owes_replies(who.user))
    return;
  // Read after what the user's other sessions hold: the hello is the later
  // news.
  if (hello_) {
    auto hello = std::move(*hello_);
    hello_.reset();
    model_.hello(*this, hello, early_);
  }
  // Folding may answer nothing, but take the list first all the same.
  auto held = std::move(early_);
  early_.clear();
  for (const auto& n : held)
    model_.fold(*this, n);
}

void model::track(const tap_ptr& t) {
  taps_[t->who.user].push_back(t);
}

void model::asked(const std::string& user) {
  ++owed_[user];
}

void model::answered(const std::string& user) {
  if (--owed_[user] > 0)
    return;
  for (const auto& weak : taps_[user])
    if (auto t = weak.lock())
      t->release();
  std::vector<std::string> unexplained;
  std::swap(unexplained, unexplained_);
  for (const auto& offer : unexplained) {
    const auto& o = offers.at(offer);
    if (o.agent != user)
      unexplained_.push_back(offer); // its agent still owes replies
    else if (!o.revoked)
      violate(o.agent + " lost " + brief(offer) + " of " + brief(o.conversation)
              + " without being told why");
  }
}

bool model::owes_replies(const std::string& user) const {
  auto i = owed_.find(user);
  return i != owed_.end() && i->second > 0;
}

void model::hello(const tap& t, const reply& r,
                  const std::vector<notification_ptr>& early) {
  const auto& listed_offers = r.as<welcome>().offers;
  if (t.who.role == engine::role::agent) {
    // An offer another session was shown that the hello neither lists nor
    // brings among its held events ended before the hello: its revoke went
    // to sessions that may have closed since, or waits in one that owes
    // replies. Over before what the hello lists is shown.
    std::set<std::string> listed;
    for (const auto& [conversation, offer] : listed_offers)
      listed.insert(offer.offer);
    for (const auto& n : early)
      if (const auto* x = std::get_if<offer_notice>(&n->body))
        listed.insert(x->offer);
    for (auto& [id, o] : offers)
      if (o.agent == t.who.user && o.open && listed.count(id) == 0) {
        note(t.who.user + "'s hello no longer lists " + brief(id));
        o.open = false;
      }
  }
  for (const auto& [conversation, offer] : listed_offers) {
    if (offers.count(offer.offer) == 0) {
      shown(t.who.user, conversation, offer, t.live);
      offers.at(offer.offer).listed_first = true;
    } else if (auto* o = find(t.who.user, offer.offer);
               o != nullptr && t.live) {
      o->certain = true; // from here this session hears how it ends
    }
  }
}

model::model(const engine::config::config& cfg, std::vector<std::string>& log)
  : cfg_(cfg), log_(log) {
  for (const auto& a : cfg.agents)
    agents[a.id].capacity = a.capacity;
}

void model::fold(const tap& t, const notification_ptr& n) {
  // Every session of a user gets the same pointer (a session that awaits
  // its hello reply reads it later than the others).
  auto& recent = recent_[t.who.user];
  bool repeat = std::find(recent.begin(), recent.end(), n) != recent.end();
  if (!repeat) {
    recent.push_back(n);
    if (recent.size() > 64)
      recent.pop_front();
  }
  if (t.who.role == engine::role::agent)
    fold_agent(t, *n, repeat);
  else if (!repeat)
    fold_customer(*n);
}

model::start_ticket model::start_asked(const std::string& queue) {
  start_ticket t{++clock_, {}};
  if (auto& seen = counters_[queue]; !seen.empty())
    t.floor = *seen.rbegin();
  return t;
}

void model::started(const std::string& customer, const start_conversation& r,
                    const start_ticket& ticket, const reply& out) {
  if (!out.ok()) {
    violate("start in " + r.queue + " refused: " + out.message);
    return;
  }
  const auto& id = out.as<opened>().conversation;
  note(customer + " started " + brief(id) + " in " + r.queue
       + (r.topic.empty() ? "" : " (" + r.topic + ")"));
  auto& c = conversations[id];
  c.customer = customer;
  c.queue = r.queue;
  c.asked = ticket.asked;
  c.floor = ticket.floor;
  c.answered = ++clock_;
  const auto* topic = cfg_.find_topic(r.topic);
  c.fifo = topic == nullptr || !topic->restricted;
  c.servable = std::any_of(cfg_.agents.begin(), cfg_.agents.end(),
                           [&](const engine::config::agent& a) {
                             return a.in_queue(r.queue)
                                    && (c.fifo || a.has_topic(r.topic));
                           });
}

void model::accept_sent(const std::string& offer) {
  auto& o = offers.at(offer);
  for (const auto& [id, other] : offers)
    counts.races += other.busy && other.conversation == o.conversation;
  o.busy = true;
}

void model::accept_answered(const std::string& agent, const std::string& offer,
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
      // Its explanation, a revoke, comes with the events held for the reply.
      if (was_open && o->certain && !o->revoked)
        unexplained_.push_back(offer);
      o->open = false;
    }
    return;
  }
  ++counts.wins;
  if (o == nullptr) {
    violate(agent + " won " + brief(offer) + ", never shown to it");
    return;
  }
  check_overlap_ended(offer, *o, "won");
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

void model::reject_answered(const std::string& agent, const std::string& offer,
                            const reply& out) {
  note(agent + " reject " + brief(offer) + " -> "
       + (out.ok() ? "ok" : out.message));
  // Either way the agent no longer holds it (one request per offer).
  if (auto* o = find(agent, offer)) {
    o->busy = false;
    o->open = false;
  }
}

void model::close_answered(const std::string& who, const std::string& id,
                           bool must_work, const reply& out) {
  note(who + " close " + brief(id) + " -> " + (out.ok() ? "ok" : out.message));
  if (!out.ok()) {
    if (must_work)
      violate("assigned " + brief(id) + " could not be closed: " + out.message);
    return;
  }
  // Answered before the agents hear of it: their slots are free from here.
  conversations[id].close_ok = true;
  for (auto& [name, a] : agents)
    a.assigned.erase(id);
}

void model::session_closing(const std::string& agent, bool another_greeted) {
  if (--agents[agent].live > 0 && another_greeted)
    return;
  for (auto& [id, o] : offers)
    if (o.agent == agent)
      o.certain = false;
}

void model::check_capacity(const std::string& agent) {
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

void model::check_single_offer(const std::string& offer) {
  const auto& n = offers.at(offer);
  const auto* q = cfg_.find_queue(n.queue);
  if (q->strategy == engine::strategy::ring_all || !n.certain)
    return;
  for (auto& [id, o] : offers) {
    if (id == offer || o.conversation != n.conversation || !o.open || !o.certain
        || o.rejecting
        || std::abs(o.expires_at - n.expires_at) >= q->offer_timeout_ms)
      continue;
    // The older is the one the queue made first: agents on other hubs may
    // be shown them in the other order.
    if (o.queue == n.queue && n.counter < o.counter)
      offers.at(offer).overlapped_by.push_back(id);
    else
      o.overlapped_by.push_back(offer);
  }
}

void model::check_overlap_ended(const std::string& offer, const offer_seen& o,
                                std::string_view how) {
  for (const auto& newer : o.overlapped_by)
    violate(brief(o.conversation) + " had two open offers: " + brief(offer)
            + " to " + o.agent + ", " + std::string{how} + ", and "
            + brief(newer) + " to " + offers.at(newer).agent);
}

void model::check_assignments() {
  for (const auto& [id, c] : conversations) {
    if (c.assigned != c.winners)
      violate(brief(id) + ": the customer saw it assigned to ["
              + join(c.assigned) + "], accepts were won by [" + join(c.winners)
              + "]");
    for (const auto& w : c.winners)
      if (std::find(c.joined.begin(), c.joined.end(), w) == c.joined.end())
        violate(brief(id) + ": " + w + " won, the customer never saw " + w
                + " join");
  }
}

void model::check_served() {
  for (const auto& [id, c] : conversations)
    if (!c.closed && c.servable)
      violate(brief(id) + " (" + c.queue
              + ") still waiting while every agent is free");
}

void model::check_outcomes() {
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

void model::check_nothing_held() {
  for (const auto& [id, o] : offers)
    if (o.open && o.certain)
      violate(o.agent + " still holds " + brief(id) + " of closed "
              + brief(o.conversation));
  for (const auto& [name, a] : agents)
    if (!a.assigned.empty())
      violate(name + " still assigned after every close");
}

void model::check_fifo() {
  for (const auto& [x_id, x] : conversations)
    for (const auto& [y_id, y] : conversations) {
      if (x.queue != y.queue || x.answered >= y.asked || !x.fifo || !y.fifo
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
      violate("FIFO in " + x.queue + ": " + brief(y_id) + " was offered before "
              + brief(x_id) + ", which started first");
    }
}

void model::violate(std::string what) {
  note("VIOLATION: " + what);
  violations.push_back(std::move(what));
}

void model::note(std::string line) {
  log_.push_back(std::move(line));
}

offer_seen* model::find(const std::string& agent, const std::string& offer) {
  auto i = offers.find(offer);
  if (i == offers.end() || i->second.agent != agent)
    return nullptr;
  return &i->second;
}

bool model::gap_between(const std::string& queue, std::uint64_t lo,
                        std::uint64_t hi) const {
  // No room between them (or the floor is above: upper_bound(lo) would
  // then lie past lower_bound(hi), and the walk would never end).
  if (hi <= lo + 1)
    return false;
  const auto& seen = counters_.at(queue);
  auto shown = std::distance(seen.upper_bound(lo), seen.lower_bound(hi));
  return static_cast<std::uint64_t>(shown) < hi - lo - 1;
}

void model::fold_agent(const tap& t, const notification& n, bool repeat) {
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
    agents[agent].status = x->status;
    if (!repeat)
      note(agent + " is " + std::string{engine::to_string(x->status)}
           + (x->reason.empty() ? "" : " (" + x->reason + ")"));
  } else if (const auto* e = std::get_if<engine::event>(&n.body);
             e != nullptr
             && std::holds_alternative<engine::conversation_closed>(e->body)) {
    // The agent's own news of the close frees its slot, whoever closed it:
    // the closer's reply may travel through another hub and come later
    // than the agent's next offer.
    agents[agent].assigned.erase(n.conversation);
  }
}

void model::shown(const std::string& agent, const std::string& conversation,
                  const offer_notice& x, bool live) {
  note(agent + " shown " + brief(x.offer) + " for " + brief(conversation)
       + " in " + x.queue + (live ? "" : " (on a closing session)"));
  if (auto i = offers.find(x.offer); i != offers.end()) {
    if (i->second.listed_first && i->second.agent == agent)
      i->second.listed_first = false;
    else
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

void model::revoked(const std::string& agent, const offer_revoked_notice& x) {
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
  if (x.reason == engine::offer_end::taken)
    check_overlap_ended(x.offer, *o, "taken by another");
}

void model::fold_customer(const notification& n) {
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

} // namespace baton::actors::testing::property
