"""naive: ``json.loads`` on each decoded line, then dict access: what anyone writes."""
import json

from . import JsonTaskError, fetchable, json_part, text_lines, wat_counts


def cdxj(data):
    lines, records = 0, []
    for number, line in text_lines(data):
        lines += 1
        record = parse_object(json_part(line, number), number)
        found = fetchable(record, number)
        if found:
            records.append(found)
    return lines, records


def wat(data):
    documents = links = 0
    servers = set()
    for number, line in text_lines(data):
        count, server = wat_counts(parse_object(line, number), number)
        documents += 1
        links += count
        if server is not None:
            servers.add(server)
    return documents, links, servers


def parse_object(text, number):
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as e:  # RecursionError: absurdly deep nesting
        raise JsonTaskError("invalid-json", number, str(e)) from None
    if not isinstance(value, dict):
        raise JsonTaskError("invalid-json", number, "not a JSON object")
    return value
