<?php
/**
 * Plugin Name: Ad Manager
 * Description: Shows the zones and "À lire aussi" inserts of your Ad Manager server on single posts: prints the snippet's head part, the zone after the title and the loader, and tells the loader the post's categories, tags and date.
 * Version: 1.0.0
 * Requires at least: 6.0
 * Requires PHP: 7.4
 * License: GPL-2.0-or-later
 * Text Domain: ad-manager
 *
 * The parts come from the server (GET <server>/snippet/<site>/<layout>.json), kept
 * for ten minutes, so that a layout edited in the dashboard reaches the pages
 * without touching WordPress. When the server cannot be reached the last parts
 * that came are used; without any, only the script tag is printed (the loader
 * then reserves nothing ahead, but still fills the page).
 */

if (!defined('ABSPATH')) {
    exit;
}

const AD_MANAGER_OPTION = 'ad_manager_settings';
const AD_MANAGER_PARTS = 'ad_manager_parts';
const AD_MANAGER_FRESH = 'ad_manager_parts_fresh';
const AD_MANAGER_KEY = '/^[A-Za-z0-9_-]{1,64}$/';

/** The plugin's settings, with their defaults. */
function ad_manager_settings()
{
    $saved = get_option(AD_MANAGER_OPTION, array());
    return wp_parse_args(is_array($saved) ? $saved : array(), array(
        'server_url' => '',
        'site_key' => '',
        'layout' => 'article',
        'title_zone' => '',
    ));
}

/** Whether this request shows one post, the only pages the layout is for. */
function ad_manager_applies()
{
    $settings = ad_manager_settings();
    return is_singular('post') && $settings['server_url'] !== '' && $settings['site_key'] !== '';
}

/**
 * The snippet parts {head, placeholders, script}: fresh from the server at most
 * every ten minutes, else the last ones that came, else the script tag alone.
 */
function ad_manager_parts()
{
    $settings = ad_manager_settings();
    $key = md5($settings['server_url'] . '|' . $settings['site_key'] . '|' . $settings['layout']);
    $stored = get_option(AD_MANAGER_PARTS, array());
    $stored = is_array($stored) && isset($stored['key']) && $stored['key'] === $key ? $stored : null;
    if ($stored === null || get_transient(AD_MANAGER_FRESH) !== $key) {
        $url = rtrim($settings['server_url'], '/') . '/snippet/' . rawurlencode($settings['site_key'])
            . '/' . rawurlencode($settings['layout']) . '.json';
        $response = wp_remote_get($url, array('timeout' => 3, 'redirection' => 0));
        $parts = is_wp_error($response) || wp_remote_retrieve_response_code($response) !== 200
            ? null : json_decode(wp_remote_retrieve_body($response), true);
        if (is_array($parts) && isset($parts['head'], $parts['script']) && is_string($parts['head'])
            && is_string($parts['script'])) {
            $stored = array('key' => $key, 'head' => $parts['head'], 'script' => $parts['script'],
                'placeholders' => isset($parts['placeholders']) && is_array($parts['placeholders'])
                    ? array_filter($parts['placeholders'], 'is_string') : array());
            update_option(AD_MANAGER_PARTS, $stored, false);
        }
        // Ask again in ten minutes, or in one when the server did not answer.
        set_transient(AD_MANAGER_FRESH, $key, is_array($parts) ? 10 * MINUTE_IN_SECONDS : MINUTE_IN_SECONDS);
    }
    if ($stored !== null) {
        return $stored;
    }
    $src = rtrim($settings['server_url'], '/') . '/embed.js';
    return array('head' => '', 'placeholders' => array(), 'script' => sprintf(
        '<script async src="%s" data-site="%s" data-layout="%s"></script>',
        esc_url($src), esc_attr($settings['site_key']), esc_attr($settings['layout'])));
}

/** What the post is about, as meta the loader reads: section, tags, dates. */
function ad_manager_post_meta($post)
{
    $html = '';
    $categories = get_the_category($post->ID);
    if ($categories) {
        $html .= '<meta property="article:section" content="' . esc_attr($categories[0]->name) . '">' . "\n";
    }
    foreach (get_the_tags($post->ID) ?: array() as $tag) {
        $html .= '<meta property="article:tag" content="' . esc_attr($tag->name) . '">' . "\n";
    }
    $html .= '<meta property="article:published_time" content="' . esc_attr(get_post_time('c', true, $post)) . '">' . "\n";
    return $html;
}

add_action('wp_head', function () {
    if (!ad_manager_applies()) {
        return;
    }
    $parts = ad_manager_parts();
    // The head part reserves each box before the first paint: print it early.
    echo ad_manager_post_meta(get_queried_object()) . $parts['head'] . "\n"; // phpcs:ignore WordPress.Security.EscapeOutput -- our server's own markup
}, 2);

add_action('wp_footer', function () {
    if (ad_manager_applies()) {
        echo ad_manager_parts()['script'] . "\n"; // phpcs:ignore WordPress.Security.EscapeOutput
    }
});

/** The placeholder of the zone chosen to stand under the title, or ''. */
function ad_manager_title_placeholder()
{
    $settings = ad_manager_settings();
    $placeholders = ad_manager_parts()['placeholders'];
    if ($settings['title_zone'] === 'none' || !$placeholders) {
        return '';
    }
    if ($settings['title_zone'] !== '' && isset($placeholders[$settings['title_zone']])) {
        return $placeholders[$settings['title_zone']];
    }
    return reset($placeholders);
}

/** Give the zone placeholder once per page, the first time a caller asks for it. */
function ad_manager_take_title_placeholder()
{
    static $given = false;
    if ($given || !ad_manager_applies()) {
        return '';
    }
    $given = true;
    return ad_manager_title_placeholder();
}

// Block themes: right after the post's own title block in the single template.
add_filter('render_block_core/post-title', function ($html, $block, $instance = null) {
    if (!wp_is_block_theme() || is_admin() || !isset($instance->context['postId'])
        || (int) $instance->context['postId'] !== get_queried_object_id()) {
        return $html;
    }
    return $html . ad_manager_take_title_placeholder();
}, 10, 3);

// Classic themes print the title in their own template: the zone opens the content.
add_filter('the_content', function ($content) {
    if (wp_is_block_theme() || !in_the_loop() || !is_main_query()
        || get_the_ID() !== get_queried_object_id()) {
        return $content;
    }
    return ad_manager_take_title_placeholder() . $content;
}, 1);

// Settings → Ad Manager.
add_action('admin_init', function () {
    register_setting('ad_manager', AD_MANAGER_OPTION, array(
        'type' => 'array',
        'sanitize_callback' => 'ad_manager_sanitize',
    ));
});

/** Keep only what the fields may hold; say what was refused. */
function ad_manager_sanitize($input)
{
    $old = ad_manager_settings();
    $input = is_array($input) ? $input : array();
    $clean = $old;
    $url = isset($input['server_url']) ? trim((string) $input['server_url']) : '';
    if ($url === '' || (filter_var($url, FILTER_VALIDATE_URL) !== false
        && in_array(wp_parse_url($url, PHP_URL_SCHEME), array('http', 'https'), true))) {
        $clean['server_url'] = esc_url_raw(rtrim($url, '/'), array('http', 'https'));
    } else {
        add_settings_error(AD_MANAGER_OPTION, 'server_url', __('The server URL must be an http(s) address, e.g. https://ads.example.fr', 'ad-manager'));
    }
    foreach (array('site_key', 'layout') as $name) {
        $value = isset($input[$name]) ? trim((string) $input[$name]) : '';
        if ($value === '' || preg_match(AD_MANAGER_KEY, $value)) {
            $clean[$name] = $value === '' && $name === 'layout' ? 'article' : $value;
        } else {
            add_settings_error(AD_MANAGER_OPTION, $name, __('Keys hold letters, digits, - and _ only.', 'ad-manager'));
        }
    }
    $zone = isset($input['title_zone']) ? trim((string) $input['title_zone']) : '';
    $clean['title_zone'] = $zone === '' || $zone === 'none' || preg_match(AD_MANAGER_KEY, $zone) ? $zone : '';
    // New settings: fetch the parts again on the next page.
    delete_transient(AD_MANAGER_FRESH);
    return $clean;
}

add_action('admin_menu', function () {
    add_options_page('Ad Manager', 'Ad Manager', 'manage_options', 'ad-manager', 'ad_manager_settings_page');
});

/** The settings page: server, site key, layout, zone under the title. */
function ad_manager_settings_page()
{
    if (!current_user_can('manage_options')) {
        return;
    }
    $settings = ad_manager_settings();
    $fields = array(
        'server_url' => array(__('Server URL', 'ad-manager'), 'url', __('Where Ad Manager runs, e.g. https://ads.example.fr', 'ad-manager')),
        'site_key' => array(__('Site key', 'ad-manager'), 'text', __('Dashboard → Sites: the embed key of this site.', 'ad-manager')),
        'layout' => array(__('Layout', 'ad-manager'), 'text', __('The layout for posts (its slug, e.g. article).', 'ad-manager')),
        'title_zone' => array(__('Zone under the title', 'ad-manager'), 'text', __('A zone slug; empty: the layout\'s first zone with a placeholder; none: no zone there.', 'ad-manager')),
    );
    echo '<div class="wrap"><h1>Ad Manager</h1>';
    settings_errors(AD_MANAGER_OPTION);
    echo '<form method="post" action="options.php">';
    settings_fields('ad_manager');
    echo '<table class="form-table" role="presentation">';
    foreach ($fields as $name => $field) {
        printf('<tr><th scope="row"><label for="ad-manager-%1$s">%2$s</label></th><td>'
            . '<input name="%3$s[%1$s]" id="ad-manager-%1$s" type="%4$s" value="%5$s" class="regular-text">'
            . '<p class="description">%6$s</p></td></tr>',
            esc_attr($name), esc_html($field[0]), esc_attr(AD_MANAGER_OPTION), esc_attr($field[1]),
            esc_attr($settings[$name]), esc_html($field[2]));
    }
    echo '</table>';
    submit_button();
    echo '</form></div>';
}
