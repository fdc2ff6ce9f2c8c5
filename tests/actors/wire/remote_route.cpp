#include "tests/actors/wire/remote_route.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
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

/// What the sessions' sinks were given, by session number.
struct inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::uint64_t, notification>> events;
};

/// A session's sink: files what it is given under its number.
class numbered_sink : public event_sink {
public:
  numbered_sink(std::shared_ptr<inbox> box, std::uint64_t number)
    : box_(std::move(box)), number_(number) {
  }
  void deliver(const notification_ptr& n) override {
    std::lock_guard lock{box_->mutex};
    box_->events.emplace_back(number_, *n);
    box_->changed.notify_all();
  }

private:
  std::shared_ptr<inbox> box_;
  std::uint64_t number_;
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
  explicit driver(routing_service& service)
    : service_(service), box_(std::make_shared<inbox>()) {
  }

  reply attach(const caller& who, std::uint64_t session) {
    auto [i, fresh]
      = sinks_.emplace(session, std::make_shared<numbered_sink>(box_, session));
    return wait([&](reply_fn done) {
      service_.connect(who, i->second, std::move(done));
    });
  }
  void detach(const caller& who, std::uint64_t session) {
    service_.disconnect(who, sinks_.at(session));
  }
  reply call(const caller& who, request r) {
    return wait([&](reply_fn done) {
      service_.submit(who, std::move(r), std::move(done));
    });
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
  /// The one reply to what `ask` submits.
  template <class Ask>
  reply wait(Ask ask) {
    auto answer = std::make_shared<std::promise<reply>>();
    auto got = answer->get_future();
    ask([answer](const reply& r) { answer->set_value(r); });
    if (got.wait_for(patience) != std::future_status::ready) {
      ADD_FAILURE() << "no reply";
      return reply::error(engine::errc::unavailable, "no answer");
    }
    return got.get();
  }

  routing_service& service_;
  std::shared_ptr<inbox> box_;
  std::map<std::uint64_t, std::shared_ptr<numbered_sink>> sinks_;
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

std::vector<std::string> drive(routing_service& service) {
  driver d{service};
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
