<?php
/*
 * Sets up the test WordPress from the command line (no web installer, no network).
 *
 *   WORDPRESS_CONFIG=<name> HTTP_HOST=127.0.0.1:<port> php setup.php install <theme>
 *   WORDPRESS_CONFIG=<name> HTTP_HOST=127.0.0.1:<port> php setup.php publish
 *   WORDPRESS_CONFIG=<name> HTTP_HOST=127.0.0.1:<port> php setup.php theme <theme>
 *
 * "install" creates the tables and the admin account, pretty permalinks, the theme,
 * and activates our plugin; "publish" adds the standard post (7 paragraphs, a
 * category, two tags) and prints {"url": …, "title": …} as JSON.
 * Debian's wp-config.php reads WORDPRESS_CONFIG from $_SERVER, which the CLI fills
 * from the environment.
 */

$mode = $argv[1] ?? '';
if ($mode === 'install') {
    define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

function fail($message)
{
    fwrite(STDERR, $message . "\n");
    exit(1);
}

if ($mode === 'install') {
    $result = wp_install('Le Journal du Test', 'admin', 'admin@journal.example', true, '', 'admin-password');
    if (empty($result['user_id'])) {
        fail('wp_install failed');
    }
    update_option('permalink_structure', '/%year%/%monthnum%/%postname%/');
    update_option('blogdescription', 'Toute l\'actualité du quartier');
    update_option('WPLANG', '');
    exit(0);
}

if ($mode === 'theme') {
    switch_theme($argv[2]);
    if (get_stylesheet() !== $argv[2]) {
        fail('theme not found: ' . $argv[2]);
    }
    flush_rewrite_rules(true);
    $activated = activate_plugin('ad-manager/ad-manager.php');
    if (is_wp_error($activated)) {
        fail('plugin: ' . $activated->get_error_message());
    }
    exit(0);
}

if ($mode === 'publish') {
    wp_set_current_user(1);
    $category = wp_insert_term('Politique', 'category', array('slug' => 'politique'));
    $category_id = is_wp_error($category) ? $category->get_error_data('term_exists') : $category['term_id'];
    $post = json_decode(file_get_contents('php://stdin'), true);
    $content = '';
    foreach ($post['paragraphs'] as $text) {
        $content .= "<!-- wp:paragraph -->\n<p>" . esc_html($text) . "</p>\n<!-- /wp:paragraph -->\n\n";
    }
    $post_id = wp_insert_post(array(
        'post_title' => $post['title'],
        'post_content' => $content,
        'post_status' => 'publish',
        'post_author' => 1,
        'post_date_gmt' => $post['date'],
        'post_date' => get_date_from_gmt($post['date']),
        'post_category' => array((int) $category_id),
        'tags_input' => $post['tags'],
    ), true);
    if (is_wp_error($post_id)) {
        fail('post: ' . $post_id->get_error_message());
    }
    echo json_encode(array('url' => get_permalink($post_id), 'id' => $post_id)) . "\n";
    exit(0);
}

fail('usage: setup.php install|theme <theme>|publish');
