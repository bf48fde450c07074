// Generated from ad_manager/delivery/embed_rules.py by `flask --app app build-loader`:
// edit the Python module, then rebuild.
export const PHONE_MAX_WIDTH = 767;
export const LABEL_HEIGHT = 16;
export const NOT_COUNTED = "blockquote,figure,table,li,aside,header,footer,nav,.adm-slot";
