#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/conversation/events.hpp"

namespace baton::engine {

/// A transfer, conference or assignment under way.
struct pending_transfer {
  enum class stage : std::uint8_t { awaiting_consent, routing };

  transfer_requested request;
  stage at = stage::routing;
  /// The queue the conversation was in when it was asked: a cold transfer to
  /// an agent who says no returns there.
  std::string origin_queue;
};

/// The state of one conversation, folded from its events. Nothing changes it
/// but `apply`; the deciders in decide.hpp read it and propose events.
///
///            ┌─────── no_agents / close ───────┐
///   bot ──► queued ──► offered ──► assigned ──► closed ──► (resume) queued
///    ▲         ▲          │            │
///    │         └──────────┴────────────┘ offer ended; cold transfer
///    └─────────────────────────────────── a human closes a bot's conversation
///
/// A warm transfer, a conference and an assignment route while the
/// conversation stays where it is (`pending()`).
class conversation {
public:
  explicit conversation(std::string id) : id_(std::move(id)) {
  }

  const std::string& id() const noexcept {
    return id_;
  }
  conversation_state state() const noexcept {
    return state_;
  }
  engine::channel channel() const noexcept {
    return channel_;
  }
  const std::string& queue() const noexcept {
    return queue_;
  }
  const std::string& topic() const noexcept {
    return topic_;
  }
  /// The topic it routes by now: a pending transfer's reason, else its own.
  const std::string& routing_topic() const noexcept {
    return routing_transfer() && !pending_->request.topic.empty()
             ? pending_->request.topic
             : topic_;
  }
  const participant& customer() const noexcept {
    return customer_;
  }
  const std::string& bot() const noexcept {
    return bot_;
  }
  std::int32_t priority() const noexcept {
    return priority_;
  }
  /// When the conversation first entered a waiting list; kept on requeue.
  time_ms enqueued_at() const noexcept {
    return enqueued_at_;
  }
  /// When the routing under way began: entering a queue (this time, not
  /// the conversation's kept age), a direct conversation's start, or a
  /// transfer's routing (its request, or the customer's consent).
  time_ms routing_since() const noexcept {
    return routing_since_;
  }
  time_ms created_at() const noexcept {
    return created_at_;
  }
  /// What agents read before taking it: the first message, a transfer's
  /// summary, a bot's handoff.
  const std::string& content() const noexcept {
    return content_;
  }
  /// The member a direct conversation is for.
  const std::string& direct_agent() const noexcept {
    return direct_agent_;
  }
  /// The member was absent: the customer may ask for someone else.
  bool awaiting_other() const noexcept {
    return awaiting_other_;
  }
  const std::optional<pending_transfer>& pending() const noexcept {
    return pending_;
  }
  /// A pending request in its routing stage.
  bool routing_transfer() const noexcept {
    return pending_ && pending_->at == pending_transfer::stage::routing;
  }
  std::uint64_t last_seq() const noexcept {
    return last_seq_;
  }
  const std::string& assignee() const noexcept {
    return assignee_;
  }
  /// Agents taking part now (the assignee first).
  const std::vector<participant>& agents() const noexcept {
    return agents_;
  }
  const std::vector<offer_target>& open_offers() const noexcept {
    return offers_;
  }
  offer_kind current_offer_kind() const noexcept {
    return offer_kind_;
  }
  time_ms offer_expires_at() const noexcept {
    return offer_expires_at_;
  }
  bool has_agent(std::string_view agent) const noexcept;
  const offer_target* find_offer(std::string_view offer) const noexcept;

  /// Bytes of every message's and whisper's text so far.
  std::uint64_t text_bytes() const noexcept {
    return text_bytes_;
  }

  /// The seq of an earlier message `from` sent with this client id, for
  /// idempotency: ids are the sender's own, so another's alike is new.
  std::optional<std::uint64_t>
  message_seq(const participant& from, const std::string& client_msg_id) const;

  /// Folds one event in. Events must come in seq order, without gaps.
  void apply(const event& e);

private:
  void on(const event& e, const conversation_created& x);
  void on(const event& e, const conversation_queued& x);
  void on(const event& e, const offer_made& x);
  void on(const event& e, const offer_ended& x);
  void on(const event& e, const conversation_assigned& x);
  void on(const event& e, const participant_joined& x);
  void on(const event& e, const participant_left& x);
  void on(const event& e, const message_posted& x);
  void on(const event& e, const no_agents& x);
  void on(const event& e, const conversation_closed& x);
  void on(const event& e, const transfer_requested& x);
  void on(const event& e, const consent_requested& x);
  void on(const event& e, const consent_given& x);
  void on(const event& e, const transfer_ended& x);
  void on(const event& e, const agent_absent& x);
  void on(const event& e, const handed_off& x);
  void on(const event& e, const returned_to_bot& x);
  void on(const event& e, const conversation_reopened& x);
  void on(const event& e, const routing_explained& x);

  std::string id_;
  conversation_state state_ = conversation_state::queued;
  engine::channel channel_ = channel::web;
  std::string queue_;
  std::string topic_;
  participant customer_;
  std::string bot_;
  std::int32_t priority_ = 0;
  time_ms created_at_ = 0;
  time_ms enqueued_at_ = 0;
  time_ms routing_since_ = 0;
  std::uint64_t last_seq_ = 0;
  std::string assignee_;
  std::vector<participant> agents_;
  std::vector<offer_target> offers_;
  offer_kind offer_kind_ = offer_kind::new_;
  time_ms offer_expires_at_ = 0;
  std::string content_;
  std::string direct_agent_;
  bool awaiting_other_ = false;
  std::optional<pending_transfer> pending_;
  std::uint64_t text_bytes_ = 0;
  /// By sender and client id (client_msg_key).
  std::unordered_map<std::string, std::uint64_t> client_msg_seqs_;
};

} // namespace baton::engine
