#include "tests/actors/wire/remote_route.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "actors/session/messages.hpp"
#include "engine/errc.hpp"
#include "engine/overloaded.hpp"

namespace baton::actors::remote_route {
namespace {

using namespace std::chrono_literals;

constexpr auto patience = 5s;

/// What the sessions' actor was sent, by session number.
struct inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::uint64_t, notification>> events;
};

/// The name of what a notification says, and the ids it names.
std::string describe(const notification& n) {
  return std::visit(
    engine::overloaded{
      [](const engine::event& e) {
        return std::string{engine::event_name(e.body)};
      },
      [](const offer_notice& o) { return "offer " + o.offer; },
      [](const offer_revoked_notice& o) { return "offer.revoked " + o.offer; },
      [](const agent_status_notice& s) {
        return "agent.status " + std::string{engine::to_string(s.status)};
      },
      [](const auto&) { return std::string{"other"}; },
    },
    n.body);
}

/// Replaces each id (c-…, o-…) by its rank of first sight.
class ranks {
public:
  std::string operator()(const std::string& text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      bool id = (text[i] == 'c' || text[i] == 'o') && i + 1 < text.size()
                && text[i + 1] == '-' && (i == 0 || text[i - 1] == ' ');
      if (!id) {
        out += text[i++];
        continue;
      }
      auto end = text.find(' ', i);
      auto token = text.substr(i, end == std::string::npos ? end : end - i);
      auto [it, fresh] = seen_.emplace(token, seen_.size() + 1);
      out += std::string{text[i]} + "#" + std::to_string(it->second);
      i += token.size();
    }
    return out;
  }

private:
  std::map<std::string, std::size_t> seen_;
};

class driver {
public:
  driver(caf::actor_system& system, directory_actor directory)
    : self_(system),
      directory_(std::move(directory)),
      box_(std::make_shared<inbox>()) {
    // Stands in for a hub: only session_event comes its way.
    sessions_ = system.spawn([box = box_]() -> caf::behavior {
      return {
        [box](session_event& e) {
          std::lock_guard lock{box->mutex};
          for (auto s : e.sessions)
            box->events.emplace_back(s, e.what);
          box->changed.notify_all();
        },
      };
    });
    hub_ = caf::actor_cast<session_hub_actor>(sessions_);
  }
  ~driver() {
    // Its handle went to the other node: it stays registered until it exits.
    caf::anon_send_exit(sessions_, caf::exit_reason::user_shutdown);
  }

  reply attach(const caller& who, std::uint64_t session) {
    return ask(attach_session{who, {hub_, session}});
  }
  void detach(const caller& who, std::uint64_t session) {
    self_->send(directory_, detach_session{who, {hub_, session}});
  }
  reply call(const caller& who, request r) {
    return ask(api_call{who, std::move(r), {}});
  }

  /// Waits for the first event of `session` past the one the last await of
  /// that session found, whose `describe` starts with `prefix`. Every event
  /// of every session that came is kept for the transcript.
  notification await(std::uint64_t session, const std::string& prefix) {
    std::unique_lock lock{box_->mutex};
    std::optional<notification> found;
    auto seen = [&] {
      while (read_ < box_->events.size()) {
        const auto& [s, n] = box_->events[read_++];
        seen_[s].push_back(ranks_(describe(n)));
      }
      for (auto& next = next_[session]; next < box_->events.size(); ++next) {
        const auto& [s, n] = box_->events[next];
        if (s == session && describe(n).rfind(prefix, 0) == 0) {
          found = n;
          ++next;
          return true;
        }
      }
      return false;
    };
    if (!box_->changed.wait_for(lock, patience, seen))
      ADD_FAILURE() << "session " << session << " never saw " << prefix;
    return found.value_or(notification{});
  }

  void note(std::string line) {
    transcript_.push_back(ranks_(line));
  }

  /// The replies in order, then each session's events in order (the
  /// order between two sessions is nobody's promise).
  std::vector<std::string> transcript() && {
    for (const auto& [session, events] : seen_)
      for (const auto& e : events)
        transcript_.push_back("session " + std::to_string(session) + " sees "
                              + e);
    return std::move(transcript_);
  }

private:
  template <class Message>
  reply ask(Message m) {
    reply out = reply::error(engine::errc::unavailable, "no answer");
    self_->request(directory_, patience, std::move(m))
      .receive([&](reply& r) { out = std::move(r); },
               [&](caf::error& e) {
                 ADD_FAILURE() << "request failed: " << to_string(e);
               });
    return out;
  }

  caf::scoped_actor self_;
  directory_actor directory_;
  std::shared_ptr<inbox> box_;
  caf::actor sessions_;
  session_hub_actor hub_;
  std::size_t read_ = 0;
  /// Per session: where its next await starts looking.
  std::map<std::uint64_t, std::size_t> next_;
  ranks ranks_;
  std::vector<std::string> transcript_;
  std::map<std::uint64_t, std::vector<std::string>> seen_;
};

/// The reply as the transcript shows it: its code, and the conversation
/// it names.
std::string said(const std::string& what, const reply& r) {
  std::string conversation;
  if (const auto* o = std::get_if<opened>(&r.body))
    conversation = o->conversation;
  else if (const auto* a = std::get_if<appended>(&r.body))
    conversation = a->conversation;
  return what + " -> " + std::string{engine::code_name(r.code)}
         + (conversation.empty() ? "" : " " + conversation);
}

} // namespace

std::vector<std::string> drive(caf::actor_system& system,
                               const directory_actor& directory) {
  driver d{system, directory};
  caller alice{"alice", engine::role::agent, "Alice"};
  caller carol{"carol", engine::role::customer, "Carol"};
  d.note(said("alice hello", d.attach(alice, 1)));
  d.note(said("carol hello", d.attach(carol, 2)));
  d.note(
    said("alice ready",
         d.call(alice, set_agent_status{engine::agent_status::ready, {}})));
  d.await(1, "agent.status ready");
  auto started = d.call(carol, start_conversation{{}, {}, {}, "my order"});
  d.note(said("carol start", started));
  auto id = started.as<opened>().conversation;
  auto offer = std::get<offer_notice>(d.await(1, "offer").body).offer;
  d.note(said("alice accept", d.call(alice, accept_offer{offer})));
  d.await(2, "participant.joined");
  d.note(
    said("carol says", d.call(carol, send_message{id, "where is it?", {}})));
  d.await(1, "message");
  d.note(said("alice closes", d.call(alice, close_conversation{id, {}})));
  // Both sessions' last events are read before the transcript ends, so it
  // does not depend on which session's arrived first.
  d.await(2, "conversation.closed");
  d.await(1, "conversation.closed");
  d.detach(alice, 1);
  d.detach(carol, 2);
  return std::move(d).transcript();
}

} // namespace baton::actors::remote_route
