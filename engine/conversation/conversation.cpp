#include "engine/conversation/conversation.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace baton::engine {

bool conversation::has_agent(std::string_view agent) const noexcept {
  return std::any_of(agents_.begin(), agents_.end(),
                     [&](const participant& p) { return p.id == agent; });
}

const offer_target*
conversation::find_offer(std::string_view offer) const noexcept {
  auto i
    = std::find_if(offers_.begin(), offers_.end(),
                   [&](const offer_target& t) { return t.offer == offer; });
  return i == offers_.end() ? nullptr : &*i;
}

namespace {

std::string client_msg_key(const participant& from,
                           const std::string& client_msg_id) {
  return user_key(from.role, from.id) + '\n' + client_msg_id;
}

} // namespace

std::optional<std::uint64_t>
conversation::message_seq(const participant& from,
                          const std::string& client_msg_id) const {
  auto i = client_msg_seqs_.find(client_msg_key(from, client_msg_id));
  if (i == client_msg_seqs_.end())
    return std::nullopt;
  return i->second;
}

void conversation::apply(const event& e) {
  // A gap means a lost or reordered event: replaying past it would build a
  // state that never existed.
  if (e.seq != last_seq_ + 1)
    throw std::logic_error("conversation " + id_ + ": event seq "
                           + std::to_string(e.seq) + " after "
                           + std::to_string(last_seq_));
  last_seq_ = e.seq;
  std::visit([&](const auto& body) { on(e, body); }, e.body);
}

void conversation::on(const event& e, const conversation_created& x) {
  channel_ = x.channel;
  queue_ = x.queue;
  topic_ = x.topic;
  customer_ = x.customer;
  bot_ = x.bot;
  priority_ = x.priority;
  direct_agent_ = x.direct_agent;
  created_at_ = e.ts;
  routing_since_ = e.ts;
  state_ = bot_.empty() ? conversation_state::queued : conversation_state::bot;
}

void conversation::on(const event& e, const conversation_queued& x) {
  routing_since_ = e.ts;
  queue_ = x.queue;
  priority_ = x.priority;
  enqueued_at_ = x.enqueued_at;
  if (!x.content.empty())
    content_ = x.content;
  awaiting_other_ = false;
  offers_.clear();
  state_ = conversation_state::queued;
}

void conversation::on(const event&, const offer_made& x) {
  offers_ = x.targets;
  offer_kind_ = x.kind;
  offer_expires_at_ = x.expires_at;
  // A warm transfer or conference is offered while its assignee stays.
  if (assignee_.empty())
    state_ = conversation_state::offered;
}

void conversation::on(const event&, const offer_ended& x) {
  std::erase_if(offers_,
                [&](const offer_target& t) { return t.offer == x.offer; });
  if (offers_.empty() && state_ == conversation_state::offered)
    state_ = conversation_state::queued;
}

void conversation::on(const event&, const conversation_assigned& x) {
  assignee_ = x.agent;
  offers_.clear();
  state_ = conversation_state::assigned;
}

void conversation::on(const event&, const participant_joined& x) {
  if (x.who.role != role::customer && !has_agent(x.who.id))
    agents_.push_back(x.who);
}

void conversation::on(const event&, const participant_left& x) {
  std::erase_if(agents_,
                [&](const participant& p) { return p.id == x.who.id; });
  if (assignee_ == x.who.id)
    assignee_ = agents_.empty() ? std::string{} : agents_.front().id;
  // The last agent handed over (a cold transfer): it waits for the next.
  if (assignee_.empty() && state_ == conversation_state::assigned)
    state_ = conversation_state::queued;
}

void conversation::on(const event& e, const message_posted& x) {
  text_bytes_ += x.text.size();
  if (!x.client_msg_id.empty())
    client_msg_seqs_.emplace(client_msg_key(x.from, x.client_msg_id), e.seq);
}

void conversation::on(const event&, const no_agents&) {
  offers_.clear();
}

void conversation::on(const event&, const conversation_closed&) {
  offers_.clear();
  agents_.clear();
  assignee_.clear();
  pending_.reset();
  awaiting_other_ = false;
  state_ = conversation_state::closed;
}

void conversation::on(const event& e, const transfer_requested& x) {
  if (!x.needs_consent)
    routing_since_ = e.ts;
  pending_ = pending_transfer{x,
                              x.needs_consent
                                ? pending_transfer::stage::awaiting_consent
                                : pending_transfer::stage::routing,
                              queue_};
}

void conversation::on(const event&, const consent_requested&) {
}

void conversation::on(const event& e, const consent_given&) {
  routing_since_ = e.ts;
  if (pending_)
    pending_->at = pending_transfer::stage::routing;
}

void conversation::on(const event&, const transfer_ended& x) {
  // Its offers end with it: the winner's became a participant.
  offers_.clear();
  // A transfer's reason is the conversation's topic from now on.
  if (x.result == transfer_result::completed && pending_
      && !pending_->request.topic.empty())
    topic_ = pending_->request.topic;
  pending_.reset();
}

void conversation::on(const event&, const agent_absent&) {
  awaiting_other_ = true;
}

void conversation::on(const event&, const handed_off& x) {
  if (!x.topic.empty())
    topic_ = x.topic;
}

void conversation::on(const event&, const returned_to_bot&) {
  offers_.clear();
  agents_.clear();
  assignee_.clear();
  pending_.reset();
  state_ = conversation_state::bot;
}

void conversation::on(const event&, const routing_explained&) {
  // A record of why: it changes nothing.
}

void conversation::on(const event&, const conversation_reopened&) {
  state_ = conversation_state::queued;
}

} // namespace baton::engine
