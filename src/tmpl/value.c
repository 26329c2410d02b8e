/* tmpl-value.c: template values: JSON data seen through Go's reflect kinds. */
#include <string.h>

#include <json-c/json.h>

#include "tmpl/int.h"

void
tval_from_json(struct tval *v, struct json_object *j)
{
	v->iface = 1;
	v->gt = GT_PLAIN;
	switch (json_object_get_type(j)) {
	case json_type_null:
		v->kind = TV_NIL;
		break;
	case json_type_boolean:
		v->kind = TV_BOOL;
		v->u.b = json_object_get_boolean(j) ? 1 : 0;
		break;
	case json_type_int:
		v->kind = TV_INT;
		v->u.i = json_object_get_int64(j);
		break;
	case json_type_double:
		v->kind = TV_FLOAT;
		v->u.f = json_object_get_double(j);
		break;
	case json_type_string:
		v->kind = TV_STRING;
		v->u.s.p = json_object_get_string(j);
		v->u.s.n = (size_t)json_object_get_string_len(j);
		break;
	case json_type_array:
		v->kind = TV_LIST;
		v->u.j = j;
		break;
	case json_type_object:
		v->kind = TV_MAP;
		v->u.j = j;
		break;
	}
}

void
tval_str(struct tval *v, const char *s, size_t n)
{
	v->kind = TV_STRING;
	v->iface = 0;
	v->gt = GT_PLAIN;
	v->u.s.p = s;
	v->u.s.n = n;
}

size_t
tval_len(const struct tval *v)
{
	if (v->kind == TV_LIST)
		return json_object_array_length(v->u.j);
	if (v->kind == TV_MAP)
		return (size_t)json_object_object_length(v->u.j);
	if (v->kind == TV_STRING)
		return v->u.s.n;
	return 0;
}

int
tval_truth(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return v->u.b;
	case TV_INT:
		return v->u.i != 0;
	case TV_UINT:
		return v->u.u != 0;
	case TV_FLOAT:
		return v->u.f != 0;
	case TV_COMPLEX:
		return v->u.c[0] != 0 || v->u.c[1] != 0;
	case TV_STRING: case TV_LIST: case TV_MAP:
		return tval_len(v) > 0;
	case TV_TIME:
		return 1;
	default:
		return 0;
	}
}

const char *
tval_type(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return "bool";
	case TV_INT:
		return v->gt == GT_INT64 ? "int64" : v->gt == GT_DURATION ?
		    "time.Duration" : "int";
	case TV_UINT:
		return "uint8";
	case TV_FLOAT:
		return "float64";
	case TV_COMPLEX:
		return "complex128";
	case TV_STRING:
		return "string";
	case TV_LIST:
		return v->gt == GT_STRINGS ? "[]string" : v->gt == GT_INTS ?
		    "[]int" : "[]interface {}";
	case TV_MAP:
		return "map[string]interface {}";
	case TV_TIME:
		return "time.Time";
	case TV_NIL:
		return "interface {}";
	default:
		return "<nil>";
	}
}
