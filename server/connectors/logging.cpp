#include "server/connectors/logging.h"
Q_LOGGING_CATEGORY(lcConnectors, "atende.server.connectors")
