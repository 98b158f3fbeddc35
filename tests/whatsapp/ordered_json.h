#pragma once
// A minimal JSON reader that keeps object member order. QJsonObject sorts its keys, but the binary-node
// vectors fix the attribute order through the order of the JSON members, so the tests need the original
// order to reproduce the bytes.

#include <QByteArrayView>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace atende::server::whatsapp::test {

struct OrderedJson {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    QString string;
    std::vector<OrderedJson> array;
    std::vector<std::pair<QString, OrderedJson>> object;

    const OrderedJson *find(QStringView key) const;
    static std::optional<OrderedJson> parse(QByteArrayView utf8);
};

} // namespace atende::server::whatsapp::test
