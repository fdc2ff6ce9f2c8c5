#include "routing_fixture.hpp"

#include "caf/all.hpp"
#include "caf/test/dsl.hpp"

namespace baton::actors::testing {

RoutingFixture::RoutingFixture()
  : fx(std::make_unique<test_coordinator_fixture<>>()) {
}

RoutingFixture::~RoutingFixture() {
  if (service)
    service->shutdown();
  fx->sched.run();
}

namespace {

/// The configuration of `toml` with the `[auth]` secret added; null, after
/// reporting its errors, if it does not load.
std::shared_ptr<const engine::config::config>
load_config(const std::string& toml) {
  auto text = "[auth]\nsecret = \"test-secret-0123456789abcdef01234\"\n" + toml;
  auto loaded = engine::config::load_string(
    text, "test.toml", [](std::string_view) { return std::nullopt; });
  for (const auto& e : loaded.errors)
    ADD_FAILURE() << e.to_string();
  if (!loaded.ok())
    return nullptr;
  return std::make_shared<const engine::config::config>(
    std::move(*loaded.value));
}

} // namespace

void RoutingFixture::boot(const std::string& toml) {
  cfg = load_config(toml);
  ASSERT_NE(cfg, nullptr);
  service = std::make_unique<routing_service>(fx->sys, cfg, service_options{7});
  run();
}

void RoutingFixture::reload(const std::string& toml) {
  stage_reload(toml);
  run();
}

void RoutingFixture::stage_reload(const std::string& toml) {
  auto changed = load_config(toml);
  ASSERT_NE(changed, nullptr);
  service->reload(std::move(changed));
}

std::size_t RoutingFixture::running_actors() const {
  return fx->sys.registry().running();
}

void RoutingFixture::run() {
  fx->sched.run();
}

bool RoutingFixture::step() {
  return fx->sched.try_run_once();
}

void RoutingFixture::tick(std::chrono::milliseconds by) {
  fx->sched.clock().advance_time(by);
}

void RoutingFixture::advance(std::chrono::milliseconds by) {
  tick(by);
  run();
}

caller RoutingFixture::agent(const std::string& id) {
  return {id, engine::role::agent, id};
}

caller RoutingFixture::customer(const std::string& id) {
  return {id, engine::role::customer, id};
}

recorder_ptr RoutingFixture::connect(const caller& who) {
  auto sink = std::make_shared<recorder>();
  service->connect(who, sink);
  run();
  return sink;
}

void RoutingFixture::disconnect(const caller& who, const recorder_ptr& sink) {
  service->disconnect(who, sink);
  run();
}

recorder_ptr RoutingFixture::login(const std::string& agent_id, bool ready) {
  auto sink = connect(agent(agent_id));
  if (ready) {
    auto out = call(agent(agent_id),
                    set_agent_status{engine::agent_status::ready, {}});
    EXPECT_TRUE(out.ok()) << out.message;
  }
  return sink;
}

void RoutingFixture::submit(const caller& who, request r, reply_box& box) {
  service->submit(who, std::move(r), box.fn());
}

reply RoutingFixture::call(const caller& who, request r) {
  reply_box box;
  submit(who, std::move(r), box);
  run();
  EXPECT_EQ(box.replies.size(), 1u) << "a request gets exactly one reply";
  return box.replies.empty() ? reply::error(engine::errc::internal, "none")
                             : box.replies.front();
}

std::string RoutingFixture::start(const caller& who, const std::string& queue,
                                  const std::string& topic) {
  start_conversation r;
  r.queue = queue;
  r.topic = topic;
  auto out = call(who, r);
  EXPECT_TRUE(out.ok()) << out.message;
  return out.ok() ? out.as<opened>().conversation : std::string{};
}

} // namespace baton::actors::testing
