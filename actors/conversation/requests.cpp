#include "actors/conversation/state.hpp"
#include "actors/conversation/summary.hpp"

#include <algorithm>

#include "caf/all.hpp"

#include "engine/conversation/decide.hpp"
#include "engine/conversation/history.hpp"
#include "engine/conversation/workflows.hpp"
#include "log/log.hpp"

namespace baton::actors::conversation_impl {

using engine::conversation_state;
using engine::errc;
using text_key = engine::config::text_key;

reply on_start(self_ptr self, const caller& who, const start_conversation& r) {
  auto& st = self->state;
  const auto& cfg = *st.rt->cfg;
  engine::start_request req;
  req.channel = r.channel;
  req.queue = r.queue;
  req.topic = r.topic;
  if (who.role == engine::role::bot) {
    req.customer = {r.customer, engine::role::customer,
                    r.customer_name.empty() ? r.customer : r.customer_name};
    req.bot = who.user;
    req.bot_name = as_participant(st.conv, who).name;
  } else {
    req.customer = as_participant(st.conv, who);
  }
  req.first_text = r.text;
  req.welcome_text = engine::welcome_text(cfg, r.queue);
  req.direct_agent = r.agent;
  auto now = now_ms(self, *st.rt);
  auto d = engine::decide_start(st.conv, req, now);
  if (!d.ok())
    return reply::error(d.error, "the conversation cannot start");
  st.rt->metrics->conversations_active.add(1);
  carry_out(self, std::move(d.events));
  log::info({"conversation", st.conv.id()}, "conversation started")
    .field("channel", engine::to_string(st.conv.channel()))
    .field("queue", st.conv.queue())
    .field("customer", st.conv.customer().id)
    .field("by", who.user);
  const auto& c = st.conv;
  if (!c.direct_agent().empty())
    offer_one(self, c.direct_agent(), engine::offer_kind::direct,
              cfg.absence.direct_response_timeout_ms, false);
  else if (c.state() == conversation_state::queued)
    enter_queue(self, c.queue());
  return opened{c.id()};
}

namespace {

bool is_customer_of(const engine::conversation& c, const caller& who) {
  return who.role == engine::role::customer && c.customer().id == who.user;
}

/// Its customer, its bot, and staff who were ever in it: those who may read
/// its history and who are told that it is closed.
bool took_part(const conversation_actor_state& st, const caller& who) {
  return is_customer_of(st.conv, who)
         || (engine::is_staff(who.role) && st.past_agents.count(who.user) > 0)
         || (who.role == engine::role::bot && st.conv.bot() == who.user);
}

/// Took part, and not only as a monitor: a monitor is no participant,
/// closed conversation or open. (A monitor who joined later took part.)
bool was_participant(const conversation_actor_state& st, const caller& who) {
  if (!took_part(st, who))
    return false;
  if (st.monitors.count(who.user) == 0)
    return true;
  return std::any_of(
    st.history.begin(), st.history.end(), [&](const engine::event& e) {
      const auto* j = std::get_if<engine::participant_joined>(&e.body);
      return j != nullptr && j->who.id == who.user;
    });
}

/// A message or a whisper: the same rule, another audience.
reply post(self_ptr self, const caller& who, const std::string& text,
           engine::visibility vis, const std::string& client_msg_id) {
  auto& st = self->state;
  // The agents leave a conversation when it closes; they are told why they
  // cannot write to it any more, as its customer is.
  if (st.conv.state() == conversation_state::closed && was_participant(st, who))
    return reply::error(errc::invalid_state, "the conversation is closed");
  auto d = engine::decide_message(st.conv, as_participant(st.conv, who), text,
                                  vis, client_msg_id);
  if (!d.ok())
    return reply::error(d.error, d.error == errc::forbidden
                                   ? "not a participant"
                                   : "the message cannot be sent");
  // A retry of a message already sent answers with its seq.
  if (d.events.empty())
    return appended{st.conv.id(), d.existing_seq};
  if (auto full = refused_when_full(self, text.size()))
    return std::move(*full);
  carry_out(self, std::move(d.events));
  st.rt->metrics->messages[static_cast<std::size_t>(vis)].add(1);
  return appended{st.conv.id(), st.conv.last_seq()};
}

} // namespace

std::optional<reply> refused_when_full(self_ptr self, std::size_t text_bytes) {
  auto& st = self->state;
  // Its log stays in memory while it is open: it is bounded.
  auto most = st.rt->cfg->limits.messages_per_conversation;
  if (st.conv.last_seq() >= static_cast<std::uint64_t>(most)) {
    st.rt->metrics->count_refusal(engine::limit::messages_per_conversation);
    return reply::error(errc::limit_reached,
                        "this conversation is full: at most "
                          + std::to_string(most)
                          + " events (limits.messages_per_conversation)");
  }
  auto most_text = st.rt->cfg->limits.text_bytes_per_conversation;
  if (st.conv.text_bytes() + text_bytes
      <= static_cast<std::uint64_t>(most_text))
    return std::nullopt;
  st.rt->metrics->count_refusal(engine::limit::text_bytes_per_conversation);
  return reply::error(
    errc::limit_reached,
    "this conversation is full: at most " + std::to_string(most_text)
      + " bytes of text (limits.text_bytes_per_conversation)");
}

reply on_message(self_ptr self, const caller& who, const send_message& r) {
  return post(self, who, r.text, engine::visibility::all, r.client_msg_id);
}

reply on_whisper(self_ptr self, const caller& who, const send_whisper& r) {
  // Whispers are never the customer's, closed conversation or not.
  if (is_customer_of(self->state.conv, who))
    return reply::error(errc::forbidden, "not a participant");
  return post(self, who, r.text, engine::visibility::agents, {});
}

reply on_close(self_ptr self, const caller& who, const close_conversation& r) {
  auto& st = self->state;
  auto reason = r.wrap_up.empty() ? std::string{"closed"} : r.wrap_up;
  // Its agents leave it as it closes: they too hear it is closed already.
  if (st.conv.state() == conversation_state::closed && was_participant(st, who))
    return reply::error(errc::invalid_state,
                        "the conversation cannot be closed");
  auto d = engine::decide_close(st.conv, as_participant(st.conv, who), reason,
                                st.rt->cfg->texts);
  if (!d.ok())
    return reply::error(d.error, "the conversation cannot be closed");
  carry_out(self, std::move(d.events));
  release_agents(self);
  st.round.supersede();
  // Back with its bot, the conversation is still open.
  if (st.conv.state() == conversation_state::closed) {
    count_open(self, false);
    retire_later(self);
  }
  leave_queue(self);
  return acknowledged{};
}

reply on_typing(self_ptr self, const caller& who, const send_typing&) {
  auto& st = self->state;
  bool customer = is_customer_of(st.conv, who);
  if (st.conv.state() == conversation_state::closed
      && (customer || (engine::is_staff(who.role) && was_participant(st, who))))
    return reply::error(errc::invalid_state, "the conversation is closed");
  if (!customer && !(engine::is_staff(who.role) && st.conv.has_agent(who.user)))
    return reply::error(errc::forbidden, "not a participant");
  // Not stored: typing is only worth something now.
  auto n = event_message(
    notification{st.conv.id(), typing_notice{as_participant(st.conv, who)}});
  if (!customer && st.customer)
    send_event(self, st.customer, n);
  for (const auto& [id, agent] : st.agents)
    if (id != who.user)
      send_event(self, agent, n);
  return acknowledged{};
}

reply on_history(self_ptr self, const caller& who,
                 const conversation_history& r) {
  auto& st = self->state;
  if (!took_part(st, who))
    return reply::error(errc::forbidden, "not a participant");
  auto page = engine::page_history(
    st.history, engine::reader_of(who.role),
    {r.after_seq, r.before_seq, r.limit,
     static_cast<std::size_t>(st.rt->cfg->server.max_frame_bytes)});
  return history_page{st.conv.id(), std::move(page.events), page.more,
                      r.before_seq.has_value()};
}

reply on_explain(self_ptr self, const caller& who,
                 const explain_conversation& r) {
  auto& st = self->state;
  bool staff = engine::is_staff(who.role) && st.past_agents.count(who.user) > 0;
  if (!staff
      && !engine::may_supervise(*st.rt->cfg, as_participant(st.conv, who)))
    return reply::error(errc::forbidden,
                        "for supervisors and staff who took part");
  return explanation{
    st.conv.id(), engine::explain_routing(st.history, r.after_seq.value_or(0))};
}

conversation_summary summary_of(const conversation_actor_state& st) {
  return summarize(st.conv, !st.waiting_in.empty(), st.place);
}

} // namespace baton::actors::conversation_impl
