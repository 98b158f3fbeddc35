// EventHub's delivery rule for events with a seq (no database): each seq once, in increasing order per
// tenant; a seq that overtakes its predecessors waits for them (the relay is asked to fill the gap) and is
// released when they arrive, when the relay reports the gap empty, or after kGapWaitMs.

#include "server/api/event_hub.h"

#include <QElapsedTimer>
#include <QTest>

#include <gtest/gtest.h>

using namespace atende;
using server::api::Audience;
using server::api::EventHub;
using server::api::Subscriber;

namespace {

api::v1::Event seqEvent(quint64 seq)
{
    api::v1::Event e;
    e.set_seq(seq);
    e.mutable_notice()->set_kind("test");
    return e;
}

struct Recorder {
    QList<quint64> seqs;
    quint64 add(EventHub &hub, const QUuid &tenant)
    {
        Subscriber s;
        s.tenantId = tenant;
        s.deliver = [this](const api::v1::Event &e) {
            seqs.append(e.seq());
        };
        return hub.add(s);
    }
};

} // namespace

TEST(EventHubOrder, DropsDuplicatesAndHoldsEventsUntilTheGapIsFilled)
{
    EventHub hub;
    const QUuid tenant = QUuid::createUuid();
    QList<QPair<quint64, quint64>> gaps;
    server::api::EventPeers peers;
    peers.fillGap = [&](QUuid, quint64 after, quint64 before) {
        gaps.append({after, before});
    };
    hub.setPeers(peers);
    Recorder r;
    r.add(hub, tenant);
    const Audience aud{tenant, {}, {}, {}, {}};

    EXPECT_EQ(hub.publish(aud, seqEvent(10)), 1); // the first seq seen starts the order
    EXPECT_EQ(hub.publish(aud, seqEvent(10)), 0); // the same event again (its NOTIFY came back)
    EXPECT_EQ(hub.publish(aud, seqEvent(13)), 0); // overtook 11 and 12: held
    ASSERT_EQ(gaps.size(), 1);
    EXPECT_EQ(gaps.first(), (QPair<quint64, quint64>{10, 13}));
    EXPECT_TRUE(hub.alreadyDelivered(tenant, 13));
    EXPECT_EQ(hub.publish(aud, seqEvent(12)), 0);
    EXPECT_EQ(gaps.size(), 1) << "one request per gap";
    EXPECT_EQ(hub.publish(aud, seqEvent(11)), 1); // 11, then the held 12 and 13
    EXPECT_EQ(r.seqs, (QList<quint64>{10, 11, 12, 13}));
    EXPECT_EQ(hub.deliveredUpTo(tenant), 13u);

    // The relay found nothing for 14 in the log: 15 goes out.
    hub.publish(aud, seqEvent(15));
    hub.skipGap(tenant, 14);
    EXPECT_EQ(r.seqs.last(), 15u);

    // Events without a seq are never held or dropped.
    api::v1::Event typing;
    typing.mutable_notice()->set_kind("typing");
    EXPECT_EQ(hub.publish(aud, typing), 1);
    EXPECT_EQ(hub.publish(aud, typing), 1);
    // Another tenant has its own order.
    EXPECT_EQ(hub.publish({QUuid::createUuid(), {}, {}, {}, {}}, seqEvent(3)), 0); // no subscriber there
    EXPECT_EQ(hub.deliveredUpTo(tenant), 15u);
}

TEST(EventHubOrder, ReleasesHeldEventsWhenTheGapIsNeverFilled)
{
    EventHub hub; // no relay: nobody fills gaps
    const QUuid tenant = QUuid::createUuid();
    Recorder r;
    r.add(hub, tenant);
    const Audience aud{tenant, {}, {}, {}, {}};
    hub.publish(aud, seqEvent(1));
    QElapsedTimer t;
    t.start();
    hub.publish(aud, seqEvent(3));
    EXPECT_EQ(r.seqs, QList<quint64>{1});
    ASSERT_TRUE(QTest::qWaitFor([&] { return r.seqs.size() == 2; }, EventHub::kGapWaitMs * 3));
    EXPECT_GE(t.elapsed(), EventHub::kGapWaitMs - 50) << "held for the gap wait first";
    EXPECT_EQ(r.seqs, (QList<quint64>{1, 3}));
    hub.publish(aud, seqEvent(2)); // too late: dropped rather than delivered out of order
    EXPECT_EQ(r.seqs, (QList<quint64>{1, 3}));
}

TEST(EventHubOrder, EphemeralEventsGoToPeersAndNeverCarryASeq)
{
    EventHub hub;
    const QUuid tenant = QUuid::createUuid();
    int forwarded = 0;
    server::api::EventPeers peers;
    peers.ephemeral = [&](const Audience &, const api::v1::Event &) {
        ++forwarded;
    };
    hub.setPeers(peers);
    Recorder r;
    r.add(hub, tenant);
    api::v1::Event typing;
    typing.mutable_notice()->set_kind("typing");
    EXPECT_EQ(hub.publishEphemeral({tenant, {}, {}, {}, {}}, typing), 1);
    EXPECT_EQ(forwarded, 1);
    EXPECT_EQ(hub.publishEphemeral({tenant, {}, {}, {}, {}}, seqEvent(4)), 0) << "a stored event is refused";
    EXPECT_EQ(forwarded, 1);
}
