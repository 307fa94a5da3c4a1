"""naive: ``json.loads`` on each decoded line, then dict access: what anyone writes.

(The pure tier runs this same loop with its own parser in place of ``json.loads``.)
"""
import json

from . import JsonTaskError, selected, json_part, text_lines, wat_counts


def cdxj(data, loads=json.loads):
    lines, records = 0, []
    for number, line in text_lines(data):
        lines += 1
        record = parse_object(loads, json_part(line, number), number)
        found = selected(record, number)
        if found:
            records.append(found)
    return lines, records


def wat(data, loads=json.loads):
    documents = links = 0
    servers = set()
    for number, line in text_lines(data):
        count, server = wat_counts(parse_object(loads, line, number), number)
        documents += 1
        links += count
        if server is not None:
            servers.add(server)
    return documents, links, servers


def parse_object(loads, text, number):
    try:
        value = loads(text)
    except (ValueError, RecursionError) as e:  # RecursionError: absurdly deep nesting
        raise JsonTaskError("invalid-json", number, str(e)) from None
    if not isinstance(value, dict):
        raise JsonTaskError("invalid-json", number, "not a JSON object")
    return value
