#include "server/api/request_checks.h"

#include <QJsonObject>
#include <QString>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

namespace atende::server::api {

namespace {

using google::protobuf::FieldDescriptor;

bool hasNul(const std::string &s)
{
    return s.find('\0') != std::string::npos;
}

atende::core::Status nulIn(const FieldDescriptor *f)
{
    return atende::core::Error::make(atende::core::errc::kInvalidArgument,
                                     QStringLiteral("text fields must not contain NUL characters"),
                                     QJsonObject{{QStringLiteral("field"), QString::fromStdString(f->json_name())}});
}

atende::core::Status check(const google::protobuf::Message &m, int depth)
{
    if (depth > 32)
        return {};
    const auto *r = m.GetReflection();
    std::vector<const FieldDescriptor *> fields;
    r->ListFields(m, &fields);
    for (const FieldDescriptor *f : fields) {
        if (f->type() == FieldDescriptor::TYPE_STRING) {
            if (f->is_repeated()) {
                for (int i = 0; i < r->FieldSize(m, f); ++i)
                    if (hasNul(r->GetRepeatedString(m, f, i)))
                        return nulIn(f);
            } else if (hasNul(r->GetString(m, f))) {
                return nulIn(f);
            }
        } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
            if (f->is_repeated()) {
                for (int i = 0; i < r->FieldSize(m, f); ++i)
                    if (atende::core::Status st = check(r->GetRepeatedMessage(m, f, i), depth + 1); !st.ok())
                        return st;
            } else if (atende::core::Status st = check(r->GetMessage(m, f), depth + 1); !st.ok()) {
                return st;
            }
        }
    }
    return {};
}

} // namespace

atende::core::Status checkRequestText(const google::protobuf::Message &message)
{
    return check(message, 0);
}

} // namespace atende::server::api
