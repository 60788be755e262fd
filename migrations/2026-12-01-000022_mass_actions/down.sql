DROP TABLE admin_mass_actions;
