// The decoder against hostile input: every malformed, truncated or oversized buffer must come back as an
// error (never a crash, an over-read or a huge allocation). Run under ASan/UBSan in CI for full effect.

#include "test_vectors.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/zlib_codec.h"

#include <QRandomGenerator>

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {
namespace {

QString decodeError(const QByteArray &node)
{
    auto r = BinaryDecoder::decodeNode(node);
    return r.ok() ? QString() : r.error().code;
}

QList<QByteArray> vectorNodes()
{
    QList<QByteArray> out;
    if (const OrderedJson *nodes = vector({"binary_nodes"})) {
        for (const OrderedJson &v : nodes->array)
            out.append(QByteArray::fromHex(v.find(u"encoded_hex")->string.toLatin1()).sliced(1));
    }
    out.append(vectorHex({"adv_pairing", "pair_success_stanza_encoded"}).sliced(1));
    return out;
}

TEST(WaBinaryHostile, EveryTruncationOfEveryVectorIsAnError)
{
    for (const QByteArray &node : vectorNodes()) {
        ASSERT_TRUE(BinaryDecoder::decodeNode(node).ok());
        for (qsizetype n = 0; n < node.size(); ++n) {
            const QString code = decodeError(node.first(n));
            EXPECT_FALSE(code.isEmpty()) << "prefix " << n << " of " << node.toHex().toStdString();
        }
    }
}

TEST(WaBinaryHostile, TrailingBytesAreRejected)
{
    const QByteArray node = QByteArray::fromHex("f8039d70ff82515f");
    EXPECT_EQ(decodeError(node + '\0'), QLatin1String(errc::kNodeTrailingBytes));
}

TEST(WaBinaryHostile, MalformedStructures)
{
    const auto code = [](const char *hex) {
        return decodeError(QByteArray::fromHex(hex)).toStdString();
    };
    EXPECT_EQ(code(""), errc::kNodeTruncated);
    EXPECT_EQ(code("00"), errc::kNodeMalformed);                     // list of size 0 as a node
    EXPECT_EQ(code("19"), errc::kNodeMalformed);                     // no list header
    EXPECT_EQ(code("f80100"), errc::kNodeMalformed);                 // empty tag
    EXPECT_EQ(code("f801f0"), errc::kNodeInvalidToken);              // 0xF0..0xF4 are not tags
    EXPECT_EQ(code("f801fa0003"), errc::kNodeMalformed);             // JID as a tag
    EXPECT_EQ(code("f80319f80119"), errc::kNodeInvalidToken);        // list as an attribute key
    EXPECT_EQ(code("f8031908fa00fc00"), errc::kNodeMalformed);       // JID pair with empty server
    EXPECT_EQ(code("f8ff19"), errc::kNodeTruncated);                 // 255 entries announced, 1 byte left
    EXPECT_EQ(code("f9ffff19"), errc::kNodeTruncated);               // 65535 entries announced
    EXPECT_EQ(code("f80219f8ff"), errc::kNodeTruncated);             // 255 children announced
    EXPECT_EQ(code("f80219f9ffff"), errc::kNodeTruncated);           // 65535 children announced
    EXPECT_EQ(code("f80219feffffffff01"), errc::kNodeTruncated);     // BINARY_32 of 4 GiB
    EXPECT_EQ(code("f80219fd0fffff01"), errc::kNodeTruncated);       // BINARY_20 of 1 MiB
    EXPECT_EQ(code("f80219fc0501"), errc::kNodeTruncated);           // BINARY_8 of 5, 1 byte given
    EXPECT_EQ(code("f80319ffcc12"), errc::kNodeTruncated);           // packed: 76 pairs, 1 byte left
    EXPECT_EQ(code("f80219ff01cc"), errc::kNodeMalformed);           // packed: nibble 12 is not a character
    EXPECT_EQ(code("f80219ff80"), errc::kNodeMalformed);             // packed: odd string of length -1
    EXPECT_EQ(code("f80219ff02f1"), errc::kNodeTruncated);           // packed: 2 pairs, 1 byte
    EXPECT_EQ(code("f80219f7"), errc::kNodeTruncated);               // AD_JID cut after the tag
    EXPECT_EQ(code("f80219f6fc0161"), errc::kNodeTruncated);         // FB_JID without device
    EXPECT_EQ(code("f80219f5fc016100010002"), errc::kNodeTruncated); // INTEROP_JID without server
    EXPECT_EQ(code("f80219ec"), errc::kNodeTruncated);               // dictionary byte missing
}

TEST(WaBinaryHostile, RecursionDepthIsBounded)
{
    // 10 000 nested single-child nodes: f8 02 19 f8 01 | f8 02 19 f8 01 | ... | f8 01 19
    QByteArray deep;
    for (int i = 0; i < 10000; ++i)
        deep.append(QByteArray::fromHex("f80219f801"));
    deep.append(QByteArray::fromHex("f80119"));
    EXPECT_EQ(decodeError(deep), QLatin1String(errc::kNodeTooDeep));

    QByteArray ok;
    for (int i = 0; i < 63; ++i)
        ok.append(QByteArray::fromHex("f80219f801"));
    ok.append(QByteArray::fromHex("f80119"));
    EXPECT_TRUE(BinaryDecoder::decodeNode(ok).ok());
    DecodeLimits tight;
    tight.maxDepth = 10;
    EXPECT_EQ(BinaryDecoder::decodeNode(ok, tight).error().code, QLatin1String(errc::kNodeTooDeep));
}

TEST(WaBinaryHostile, NestedHugeListAnnouncementsStayCheap)
{
    // Every level announces 65535 children and enough bytes follow to make that plausible; only the real
    // children may cost memory (this used to reserve 65535 nodes per level).
    QByteArray input;
    for (int i = 0; i < 60; ++i)
        input.append(QByteArray::fromHex("f80219f9ffff"));
    input.append(QByteArray(70000, '\xf0')); // then garbage: invalid list header for the deepest child
    EXPECT_EQ(decodeError(input), QLatin1String(errc::kNodeMalformed));
}

TEST(WaBinaryHostile, CompressedFrames)
{
    const QByteArray good = vectorHex({"binary_compressed", "encoded_hex"});
    ASSERT_TRUE(BinaryDecoder::decodeFrame(good).ok());
    const auto code = [](const QByteArray &frame) {
        auto r = BinaryDecoder::decodeFrame(frame);
        return r.ok() ? std::string() : r.error().code.toStdString();
    };
    EXPECT_EQ(code(QByteArray()), errc::kNodeTruncated);
    EXPECT_EQ(code(QByteArray(1, '\x02')), errc::kDecompressFailed);
    EXPECT_EQ(code(good.first(good.size() - 3)), errc::kDecompressFailed);
    EXPECT_EQ(code(good + "xyz"), errc::kDecompressFailed);
    EXPECT_EQ(code(QByteArray::fromHex("02") + QByteArray("garbage-not-zlib")), errc::kDecompressFailed);
    // A decompression bomb: 64 MiB of zeros compress to ~64 KiB and must stop at the limit.
    auto bomb = zlibCompress(QByteArray(64 * 1024 * 1024, '\0'));
    ASSERT_TRUE(bomb.ok());
    EXPECT_LT(bomb->size(), 128 * 1024);
    EXPECT_EQ(code(QByteArray(1, '\x02') + *bomb), errc::kDecompressedTooLarge);
    // Unknown flag bits are ignored; bit 1 alone selects compression.
    EXPECT_TRUE(BinaryDecoder::decodeFrame(QByteArray::fromHex("06") + good.sliced(1)).ok());
    EXPECT_TRUE(BinaryDecoder::decodeFrame(QByteArray::fromHex("80f8039d70ff82515f")).ok());
}

TEST(WaBinaryHostile, RandomAndMutatedInputNeverCrashes)
{
    QRandomGenerator rng(20261128); // fixed seed: failures are reproducible
    const QList<QByteArray> seeds = vectorNodes();
    int decodedOk = 0;
    for (int round = 0; round < 30000; ++round) {
        QByteArray input;
        if (round % 3 == 0) {
            input.resize(rng.bounded(64));
            for (char &c : input)
                c = char(rng.bounded(256));
            if (!input.isEmpty() && rng.bounded(2))
                input[0] = char(0xF8); // give the structure a chance
        } else {
            input = seeds[rng.bounded(seeds.size())];
            const int flips = 1 + rng.bounded(4);
            for (int i = 0; i < flips; ++i)
                input[rng.bounded(input.size())] = char(rng.bounded(256));
            if (rng.bounded(4) == 0)
                input.truncate(rng.bounded(input.size()));
        }
        auto node = BinaryDecoder::decodeFrame(QByteArray(1, char(rng.bounded(4) == 0 ? 2 : 0)) + input);
        if (node.ok()) {
            ++decodedOk;
            // Re-encoding may legitimately fail (an FB-form JID on the PN server with device 300 has no
            // encoding), but must not crash either.
            (void)BinaryEncoder::encodeNode(*node);
        }
    }
    EXPECT_GT(decodedOk, 0); // the mutations did not only produce garbage
}

} // namespace
} // namespace atende::server::whatsapp::test
